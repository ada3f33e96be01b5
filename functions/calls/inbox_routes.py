"""The front desk's inbox: a hotel's messages and requests, and marking them done."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from hotelvoice.audit import audit
from hotelvoice.auth import Role
from hotelvoice.calls.inbox import Inbox
from hotelvoice.contracts.inbox import (
    INBOX_ITEM_ID_PATTERN,
    InboxItem,
    InboxPage,
    InboxStatus,
    InboxStatusChange,
)
from hotelvoice.http_app import HotelId, hotel_principal_with, request_id_of
from hotelvoice.settings import get_settings

router = APIRouter(tags=["inbox"])
FrontDesk = hotel_principal_with(Role.STAFF)
ItemId = Annotated[str, Path(pattern=INBOX_ITEM_ID_PATTERN, max_length=300)]


def _inbox() -> Inbox:
    return Inbox(get_settings().calls_table)


@router.get("/v1/hotels/{hotel_id}/inbox")
def list_inbox(
    request: Request,
    hotel_id: HotelId,
    principal: FrontDesk,
    status: InboxStatus = "open",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> InboxPage:
    """The hotel's items in one status, newest first, with the number still open."""
    audit(
        principal,
        "inbox.list",
        hotel_id=hotel_id,
        resource=f"hotel/{hotel_id}/inbox",
        request_id=request_id_of(request),
    )
    return _inbox().page(hotel_id, status, limit=limit, cursor=cursor)


@router.post("/v1/hotels/{hotel_id}/inbox/{item_id}/status")
def set_inbox_status(
    request: Request,
    hotel_id: HotelId,
    item_id: ItemId,
    change: InboxStatusChange,
    principal: FrontDesk,
) -> InboxItem:
    """Mark an item done (or open again); the audit trail says who, when and which item.

    Marking an item done twice changes nothing and keeps who did it first.
    """
    item, _changed = _inbox().set_status(hotel_id, item_id, change.status, principal.subject)
    call_id, kind, event_id = item_id.split("~")
    audit(
        principal,
        f"inbox.{change.status}",
        hotel_id=hotel_id,
        resource=f"call/{call_id}/{kind}/{event_id}",
        request_id=request_id_of(request),
    )
    return item
