"""The transcript of a call: the stable ``hotelvoice call --json`` schema.

Schema version 1 — additive changes only; fields are documented in ``docs/call-json.md``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from hotelvoice.contracts.call_events import BookingAction, Outcome
from hotelvoice.contracts.pms import Money


class BookedStay(Protocol):
    """What a PMS answer about one booking tells (a reservation, a booking, an amendment)."""

    confirmation_code: str
    arrival: date
    departure: date
    room_type_name: str
    total: Money


SCHEMA_VERSION = 1


class ToolCallView(BaseModel):
    """One tool call made while answering a caller turn."""

    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    duration_ms: float


class TranscriptTurn(BaseModel):
    """One utterance; agent turns carry the tool calls made to produce them."""

    role: Literal["caller", "agent"]
    text: str
    tool_calls: list[ToolCallView] = Field(default_factory=list)
    started_ms: float = Field(description="milliseconds since the call started")
    duration_ms: float = Field(description="time to produce this turn (agent) or 0 (caller)")


class TransferView(BaseModel):
    """One attempt to hand the caller to the front desk."""

    reason: str
    target: str
    succeeded: bool


class MessageView(BaseModel):
    """A message the caller left for the front desk."""

    message: str
    callback_number: str | None


class BookingView(BaseModel):
    """A booking the agent made, changed or cancelled in the PMS on this call (no name)."""

    action: BookingAction
    confirmation_code: str
    total_minor: int | None = None
    """The stay's total (created, changed) or the fee charged (cancelled), in minor units."""
    currency: str | None = None
    arrival: date | None = None
    departure: date | None = None
    room_type: str | None = None

    @classmethod
    def of(
        cls, action: BookingAction, stay: BookedStay, *, charged: Money | None = None
    ) -> BookingView:
        """The view of what the PMS answered; ``charged`` replaces the total (a fee)."""
        money = charged or stay.total
        return cls(
            action=action,
            confirmation_code=stay.confirmation_code,
            total_minor=money.amount_minor,
            currency=money.currency,
            arrival=stay.arrival,
            departure=stay.departure,
            room_type=stay.room_type_name,
        )


class RequestView(BaseModel):
    """A request the caller left for the front desk on this call, with the reference they heard."""

    category: str
    details: str
    reference: str
    callback_number: str | None = None


class CallTranscript(BaseModel):
    """A whole call as ``hotelvoice call --json`` prints it."""

    schema_version: int = SCHEMA_VERSION
    call_id: str
    hotel_id: str
    language: str
    dialogue_engine: str
    turns: list[TranscriptTurn]
    outcome: Outcome
    final_language: str | None = None
    """The caller's language at the end (it may have switched); added in schema 1."""
    verified_reservation: str | None = None
    """The confirmation code verified on this call, if any; added in schema 1."""
    transfers: list[TransferView] = Field(default_factory=list)
    messages: list[MessageView] = Field(default_factory=list)
    bookings: list[BookingView] = Field(default_factory=list)
    requests: list[RequestView] = Field(default_factory=list)
    """Bookings made, changed or cancelled in the PMS on this call; added in schema 1."""

    def render(self) -> str:
        """Human-readable transcript for the terminal."""
        lines = []
        for turn in self.turns:
            who = "Caller" if turn.role == "caller" else "Agent "
            for call in turn.tool_calls:
                args = ", ".join(f"{k}={v}" for k, v in call.arguments.items())
                lines.append(f"        ↳ {call.name}({args}) {call.duration_ms:.1f} ms")
            lines.append(f"{who}: {turn.text}")
        for transfer in self.transfers:
            state = "connected" if transfer.succeeded else "failed"
            lines.append(f"        ⇢ transfer to {transfer.target} ({transfer.reason}): {state}")
        for message in self.messages:
            lines.append(f"        ✉ message for the front desk: {message.message}")
        for booking in self.bookings:
            lines.append(f"        ✎ booking {booking.action}: {booking.confirmation_code}")
        for request in self.requests:
            what = f"request for the front desk ({request.category})"
            lines.append(f"        ☏ {what}: {request.reference}")
        return "\n".join(lines)
