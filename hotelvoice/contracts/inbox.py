"""The front desk's inbox: messages and requests the receptionist took, each open or done."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hotelvoice.contracts.call_events import FrontDeskCategory

InboxStatus = Literal["open", "done"]
INBOX_ITEM_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}~(message|request)~[A-Za-z0-9_.:-]{1,128}$"
"""``<call id>~<kind>~<event id>``: opaque to the console, no personal data in it."""


class InboxItem(BaseModel):
    """A message or request as the front desk works through it (personal data: audited)."""

    item_id: str
    kind: Literal["message", "request"]
    call_id: str
    at: datetime
    language: str
    text: str
    """The message, or the request's details, redacted as the call record keeps them."""
    category: FrontDeskCategory | None = None
    reference: str | None = None
    callback_number: str | None = None
    confirmation_code: str | None = None
    status: InboxStatus
    done_by: str | None = None
    done_at: datetime | None = None


class InboxPage(BaseModel):
    """One page of a hotel's items in one status, newest first, and how many are open."""

    items: list[InboxItem]
    open_count: int
    next_cursor: str | None = None


class InboxStatusChange(BaseModel):
    """Mark an item done, or open again."""

    model_config = ConfigDict(extra="forbid")

    status: InboxStatus
