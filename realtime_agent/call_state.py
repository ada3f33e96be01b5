"""Per-call state: who is calling which hotel, what has been verified, what the tools did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.call_events import CallEventReporter
from realtime_agent.pms_client import PmsClient

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
    failed_lookups: int = 0
    tool_log: list[ToolInvocation] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Messages for the front desk taken on this call."""
    control: CallControl | None = None
    """The phone line (transfer, hang-up); ``None`` until the worker attaches it."""
    today: date | None = None
    """The call's date in the hotel's time zone (the fallback NLU never reads the clock)."""

    @property
    def hotel_id(self) -> str:
        """The hotel this call is for."""
        return self.hotel.hotel_id

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
