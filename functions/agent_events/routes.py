"""Call events posted by the realtime agent (service role) onto the call-events queue."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.metrics import MetricUnit
from fastapi import APIRouter, Body, Path
from pydantic import BaseModel

from functions.runtime import metrics
from hotelvoice.auth import Role
from hotelvoice.calls.ownership import CallOwnership, authorise_event
from hotelvoice.calls.queue import enqueue
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
