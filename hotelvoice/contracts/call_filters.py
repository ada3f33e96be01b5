"""What the calls list may be narrowed to, besides time and outcome."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hotelvoice.contracts.call_events import CallSummary


class CallFilters(BaseModel):
    """Each filter set must match the call; an unset one admits any."""

    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    transferred: bool | None = None
    with_message: bool | None = None
    with_request: bool | None = None
    with_booking: bool | None = None

    def admit(self, call: CallSummary) -> bool:
        """Whether ``call`` passes every filter that is set."""
        wanted_and_found = (
            (self.language, call.language),
            (self.transferred, call.transferred),
            (self.with_message, call.has_message),
            (self.with_request, call.has_request),
            (self.with_booking, call.has_booking),
        )
        return all(want is None or want == found for want, found in wanted_and_found)
