"""Call records for hotel staff and admins, and the control plane's health."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from botocore.exceptions import BotoCoreError, ClientError
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hotelvoice import aws
from hotelvoice.audit import audit
from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import (
    ID_PATTERN,
    CallRecord,
    CallSummary,
    Outcome,
)
from hotelvoice.contracts.call_filters import CallFilters
from hotelvoice.contracts.wire_types import IsoDateTime
from hotelvoice.errors import InvalidRequest, NotFound
from hotelvoice.http_app import principal_with, request_id_of
from hotelvoice.privacy import recordings
from hotelvoice.settings import get_settings

router = APIRouter(tags=["calls"])
Staff = principal_with(Role.STAFF)


class CallList(BaseModel):
    """Newest calls first; ``next_cursor`` fetches the next page (absent on the last)."""

    calls: list[CallSummary]
    next_cursor: str | None = None


class Health(BaseModel):
    """Each dependency's state; ``status`` is ``ok`` only if all are."""

    status: str
    dependencies: dict[str, str]


def _store() -> CallRecordStore:
    return CallRecordStore(get_settings().calls_table)


@router.get("/v1/calls")
def list_calls(
    request: Request,
    hotel_id: Annotated[str, Query(pattern=r"^[a-z0-9-]{1,64}$")],
    principal: Staff,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    since: Annotated[
        IsoDateTime | None, Query(description="started at or after (ISO 8601)")
    ] = None,
    until: Annotated[
        IsoDateTime | None, Query(description="started at or before (ISO 8601)")
    ] = None,
    outcome: Outcome | None = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None,
    transferred: bool | None = None,
    with_message: bool | None = None,
    with_request: bool | None = None,
    with_booking: bool | None = None,
) -> CallList:
    """Calls of one hotel the principal may see, filtered and paginated.

    The filters besides time apply to each page as read: a page may hold fewer calls than
    ``limit``, even none, and still carry a ``next_cursor``.
    """
    principal.require_hotel(hotel_id)
    if since and until and _aware(since) > _aware(until):
        raise InvalidRequest("since must not be after until")
    audit(
        principal,
        "calls.list",
        hotel_id=hotel_id,
        resource=f"hotel/{hotel_id}/calls",
        request_id=request_id_of(request),
    )
    calls, next_cursor = _store().list_for_hotel(
        hotel_id,
        limit=limit,
        since=_aware(since),
        until=_aware(until),
        outcome=outcome,
        cursor=cursor,
        filters=CallFilters(
            language=language,
            transferred=transferred,
            with_message=with_message,
            with_request=with_request,
            with_booking=with_booking,
        ),
    )
    return CallList(calls=calls, next_cursor=next_cursor)


def _aware(moment: datetime | None) -> datetime | None:
    """A time without an offset is taken as UTC.

    One with no UTC equivalent is a 400: ``0001-01-01T00:00:00+14:00`` is before year 1.
    """
    if moment is None:
        return None
    try:
        return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise InvalidRequest("since and until must be representable in UTC") from exc


@router.get("/v1/calls/{call_id}")
def get_call(
    request: Request, call_id: Annotated[str, Path(pattern=ID_PATTERN)], principal: Staff
) -> CallRecord:
    """One call with its redacted transcript; another hotel's call is simply not found.

    A recording in our bucket comes with ``url``, a link to play it for a few minutes
    (``link_expires_at``), so the console never needs bucket access of its own.
    """
    record = _store().get(call_id)
    if record.hotel_id is None or not principal.may_see_hotel(record.hotel_id):
        raise NotFound("no such call")
    audit(
        principal,
        "calls.read",
        hotel_id=record.hotel_id,
        resource=f"call/{call_id}",
        request_id=request_id_of(request),
    )
    if record.recording and (link := recordings.listening_link(record.recording)):
        url, until = link
        record.recording = {**record.recording, "url": url, "link_expires_at": until.isoformat()}
    return record


@router.get("/health", response_model=Health)
def health() -> JSONResponse:
    """Ask every table and the queue the control plane depends on; 503 if any does not answer."""
    settings = get_settings()
    tables = {
        "calls_table": settings.calls_table,
        "pms_table": settings.pms_table,
        "idempotency_table": settings.idempotency_table,
        "audit_table": settings.audit_table,
        "rate_limit_table": settings.rate_limit_table,
        "hotels_table": settings.hotels_table,
    }
    states = {name: _table_state(table) for name, table in tables.items() if table}
    try:
        aws.client("sqs").get_queue_attributes(
            QueueUrl=settings.call_events_queue_url, AttributeNames=["QueueArn"]
        )
        states["call_events_queue"] = "ok"
    except (BotoCoreError, ClientError):
        states["call_events_queue"] = "unavailable"
    ok = all(v == "ok" for v in states.values())
    body = Health(status="ok" if ok else "degraded", dependencies=states)
    return JSONResponse(status_code=200 if ok else 503, content=body.model_dump())


def _table_state(table: str) -> str:
    try:
        status = aws.client("dynamodb").describe_table(TableName=table)["Table"]["TableStatus"]
    except (BotoCoreError, ClientError):
        return "unavailable"
    return "ok" if status == "ACTIVE" else status.lower()
