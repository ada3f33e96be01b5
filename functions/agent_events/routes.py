"""Call events posted by the realtime agent (service role) onto the call-events queue."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.metrics import MetricUnit
from fastapi import APIRouter, Body, Path
from pydantic import BaseModel

from functions.runtime import metrics
from hotelvoice.auth import Role
from hotelvoice.calls.ownership import CallOwnership, authorise_event
from hotelvoice.calls.queue import enqueue, enqueue_batch
from hotelvoice.contracts.call_event_batch import CallEventBatch, EventsAccepted
from hotelvoice.contracts.call_events import ID_PATTERN, AgentCallEvent
from hotelvoice.errors import InvalidRequest
from hotelvoice.http_app import principal_with
from hotelvoice.settings import get_settings

router = APIRouter(tags=["calls"])
Agent = principal_with(Role.SERVICE)


class EventAccepted(BaseModel):
    """The event is queued; the record catches up within seconds."""

    accepted: bool
    event_id: str


@router.post("/v1/calls/{call_id}/events", status_code=202)
async def post_call_event(
    call_id: Annotated[str, Path(pattern=ID_PATTERN)],
    event: Annotated[AgentCallEvent, Body()],
    principal: Agent,
) -> EventAccepted:
    """Queue one agent event for the call record."""
    if event.call_id != call_id:
        raise InvalidRequest("call_id in the body differs from the path")
    authorise_event(principal, event, CallOwnership(get_settings().calls_table))
    enqueue(event)
    metrics.add_metric(name="AgentEventsAccepted", unit=MetricUnit.Count, value=1)
    return EventAccepted(accepted=True, event_id=event.event_id)


@router.post("/v1/calls/{call_id}/events/batch", status_code=202)
async def post_call_event_batch(
    call_id: Annotated[str, Path(pattern=ID_PATTERN)],
    batch: Annotated[CallEventBatch, Body()],
    principal: Agent,
) -> EventsAccepted:
    """Queue 1 to 50 events of one call, in order; all of them or none.

    Every event is validated (400) and authorised (403) before any is queued. A 503 means
    some may be queued already: send the whole batch again (event ids make that harmless).
    """
    if any(event.call_id != call_id for event in batch.events):
        raise InvalidRequest("call_id of an event differs from the path")
    ownership = _OwnerReadOnce(get_settings().calls_table)
    for event in batch.events:
        authorise_event(principal, event, ownership)
    enqueue_batch(batch.events)
    metrics.add_metric(name="AgentEventsAccepted", unit=MetricUnit.Count, value=len(batch.events))
    return EventsAccepted(accepted=True, event_ids=[event.event_id for event in batch.events])


class _OwnerReadOnce(CallOwnership):
    """Every event of a batch names the same call: its owner is read once, not per event.

    A claim (``call.started``, or the first event of a one-hotel agent) makes the claimant
    the owner for the events after it, exactly as the table would answer.
    """

    def __init__(self, table_name: str) -> None:
        super().__init__(table_name)
        self._owners: dict[str, str | None] = {}

    def owner(self, call_id: str) -> str | None:
        """The owner as read at the first event that asked."""
        if call_id not in self._owners:
            self._owners[call_id] = super().owner(call_id)
        return self._owners[call_id]

    def claim(self, call_id: str, hotel_id: str) -> None:
        """Claim in the table (403 if another hotel owns it), then remember the owner."""
        super().claim(call_id, hotel_id)
        self._owners[call_id] = hotel_id
