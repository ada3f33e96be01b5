"""Per-call state: who is calling which hotel, what has been verified, what the tools did."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from hotelvoice.contracts.hotels import BookingSettings
from hotelvoice.contracts.pms import Availability, HotelInfo, Money, Reservation
from realtime_agent.call_events import CallEventReporter
from realtime_agent.pms_client import PmsClient
from realtime_agent.side_effects import TurnLedger
from realtime_agent.transcript import BookingView, RequestView

if TYPE_CHECKING:
    from realtime_agent.call_control import CallControl

MAX_LOOKUP_ATTEMPTS = 3


@dataclass
class ToolInvocation:
    """One tool call as the transcript shows it."""

    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    duration_ms: float


@dataclass
class CallState:
    """``AgentSession`` userdata, reached by tools as ``ctx.userdata``."""

    call_id: str
    hotel: HotelInfo
    pms: PmsClient
    language: str = "en"
    caller_number: str | None = None
    events: CallEventReporter | None = None
    verified_reservation: str | None = None
    reservation: Reservation | None = None
    """The reservation verified in this call, as the PMS last answered it: the only one the
    change and cancellation tools act on."""
    reservation_last_name: str | None = None
    """The last name the caller verified it with: the PMS checks it again on every write."""
    failed_lookups: int = 0
    tool_log: list[ToolInvocation] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Messages for the front desk taken on this call."""
    control: CallControl | None = None
    """The phone line (transfer, hang-up); ``None`` until the worker attaches it."""
    today: date | None = None
    """The call's date in the hotel's time zone (the fallback NLU never reads the clock)."""
    booking_settings: BookingSettings = field(default_factory=BookingSettings)
    """How the hotel guarantees bookings taken on the phone, and whether it e-mails them."""
    availability: Availability | None = None
    """The last availability answer: what ``book_room`` books from."""
    read_back: str | None = None
    """The booking or front-desk request read back to the caller (its fingerprint), waiting
    for their yes."""
    booking_confirmed: str | None = None
    """The read-back the caller said an explicit yes to; ``book_room`` books only this."""
    booked: list[BookingView] = field(default_factory=list)
    requested: list[RequestView] = field(default_factory=list)
    """The requests this call left for the front desk, for the call's transcript."""
    """What this call booked, changed or cancelled in the PMS, for the call's transcript."""
    bookings: dict[str, str] = field(default_factory=dict)
    """Idempotency key -> the tool's result: what this call booked, answered again as is."""
    booking_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """One booking at a time (an engine may call the tool twice in one turn)."""
    requests: dict[str, str] = field(default_factory=dict)
    """Request key -> the tool's result: what this call passed to the front desk, once each."""
    side_effects: TurnLedger = field(default_factory=TurnLedger)
    """The side-effecting tools' answers in the caller's current turn: none runs twice."""

    @property
    def hotel_id(self) -> str:
        """The hotel this call is for."""
        return self.hotel.hotel_id

    def record_booking(
        self, view: BookingView, *, confirmation_sent: bool | None = None, key: str | None = None
    ) -> None:
        """Keep a booking made, changed or cancelled for the transcript and the call record.

        ``key``: the PMS write's idempotency key, so a write repeated after a reconnect is
        recorded once.
        """
        self.booked.append(view)
        if self.events is None:
            return
        total = None
        if view.total_minor is not None and view.currency:
            total = Money(amount_minor=view.total_minor, currency=view.currency)
        self.events.booking(
            view.action,
            view.confirmation_code,
            total=total,
            arrival=view.arrival,
            departure=view.departure,
            room_type=view.room_type,
            confirmation_sent=confirmation_sent,
            key=key,
        )

    def record_tool(self, invocation: ToolInvocation) -> None:
        """Keep the invocation for the transcript and report it to the call record."""
        self.tool_log.append(invocation)
        if self.events is not None:
            self.events.tool(
                invocation.name,
                invocation.arguments,
                invocation.result,
                ok=invocation.ok,
                duration_ms=invocation.duration_ms,
            )
