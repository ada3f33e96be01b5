"""Putting call events on the call-events queue (webhooks and the agent's events API)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.errors import Unavailable
from hotelvoice.settings import get_settings

log = logging.getLogger("hotelvoice.calls.queue")
SQS_BATCH = 10
"""SendMessageBatch's limit on entries per request."""


def enqueue(event: Any) -> str:
    """Send one validated event; the SQS message id is returned for the caller's logs."""
    try:
        response = aws.client("sqs").send_message(
            QueueUrl=get_settings().call_events_queue_url,
            MessageBody=event.model_dump_json(),
        )
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable("could not queue the event; retry") from exc
    return str(response["MessageId"])


def enqueue_batch(events: Sequence[Any]) -> list[str]:
    """Send validated events with SendMessageBatch, ten a request; their message ids.

    SQS may refuse single entries of a batch that it otherwise accepts: those are sent once
    more, and if any still fails the whole call fails with :class:`Unavailable` (503), so
    the agent sends its whole batch again. Events that got in the first time are then queued
    twice, which is harmless: the consumer applies each ``event_id`` once.
    """
    url = get_settings().call_events_queue_url
    ids: list[str] = []
    for start in range(0, len(events), SQS_BATCH):
        bodies = [event.model_dump_json() for event in events[start : start + SQS_BATCH]]
        ids.extend(_send_chunk(url, bodies))
    return ids


def _send_chunk(url: str, bodies: list[str]) -> list[str]:
    """At most ten bodies, in one request plus one retry of the entries SQS refused."""
    sent: dict[int, str] = {}
    waiting = dict(enumerate(bodies))
    for _ in range(2):
        entries = [{"Id": str(n), "MessageBody": body} for n, body in waiting.items()]
        try:
            response = aws.client("sqs").send_message_batch(QueueUrl=url, Entries=entries)
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("could not queue the events; retry") from exc
        for ok in response.get("Successful", []):
            sent[int(ok["Id"])] = str(ok["MessageId"])
            waiting.pop(int(ok["Id"]), None)
        if not waiting:
            return [sent[n] for n in range(len(bodies))]
    failed = response.get("Failed", [])
    log.warning(
        "events not queued after a retry",
        extra={"failed": len(waiting), "codes": sorted({f.get("Code", "") for f in failed})},
    )
    raise Unavailable("could not queue every event; retry the batch")
