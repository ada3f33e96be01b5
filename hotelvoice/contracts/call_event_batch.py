"""A batch of one call's agent events: one request for what the agent has waiting.

An agent posting each event on its own sent about 26 requests for a nine-line call, all
against one per-principal rate budget shared by the whole fleet. A batch carries whatever
the agent's outbox holds for one call (in order), and is accepted or refused whole, so the
agent retries the whole batch and never has to work out which half got in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hotelvoice.contracts.call_events import AgentCallEvent

MAX_BATCH_EVENTS = 50
"""Events per batch: a few seconds of a busy call, and well inside the 64 KiB body limit
for ordinary turns (the agent also caps a batch's bytes)."""


class CallEventBatch(BaseModel):
    """Up to :data:`MAX_BATCH_EVENTS` events of the call named in the path, in call order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: list[AgentCallEvent] = Field(min_length=1, max_length=MAX_BATCH_EVENTS)


class EventsAccepted(BaseModel):
    """Every event of the batch is queued; the record catches up within seconds."""

    accepted: bool
    event_ids: list[str]
