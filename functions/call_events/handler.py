"""SQS consumer: call events → call records, with partial batch failures.

A record that fails (invalid event, table error) is reported back alone; SQS redelivers it
and, after the queue's ``maxReceiveCount``, moves it to the dead-letter queue. Each event is
applied at most once per ``event_id`` (Powertools idempotency), and the store's conditional
writes make even a second application harmless.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from functions import snapshot
from functions.runtime import logger, metrics, tracer
from hotelvoice import aws
from hotelvoice.calls.outcome_tally import OutcomeTally
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT, CallEnded, CallStarted, RoomFinished
from hotelvoice.settings import get_settings

processor = BatchProcessor(event_type=EventType.SQS)
IDEMPOTENCY_WINDOW_S = 24 * 3600
snapshot.warm_also("aws_lambda_powertools.utilities.idempotency")


@lru_cache(maxsize=2)
def _idempotent(client: Any) -> tuple[Any, Callable[..., dict[str, Any]]]:
    """``_apply`` once per ``event_id``, remembered through ``client`` (our cached one).

    Made by the first event, not at import: the store's module loads boto3 (a third of a
    cold start that an unreadable batch never needs), and a client made before a SnapStart
    snapshot would outlive it; ``aws.client`` gives a new one after a restore, and with it a
    new store.
    """
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    config = IdempotencyConfig(
        event_key_jmespath="event_id", expires_after_seconds=IDEMPOTENCY_WINDOW_S
    )
    persistence = DynamoDBPersistenceLayer(
        table_name=os.environ.get("HOTELVOICE_IDEMPOTENCY_TABLE", ""), boto3_client=client
    )
    once = idempotent_function(
        data_keyword_argument="event", config=config, persistence_store=persistence
    )(_apply)
    return config, once


def apply_event(event: dict[str, Any], lambda_context: Any = None) -> dict[str, Any]:
    """Apply one validated event at most once per ``event_id``.

    The invocation's context tells idempotency how long the function has left, so that an
    event whose run timed out is not taken for one still in progress.
    """
    config, once = _idempotent(aws.client("dynamodb"))
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)
    return once(event=event)


def _apply(event: dict[str, Any]) -> dict[str, Any]:
    """Apply one validated event; the result is what idempotency remembers.

    Only whether it was written: the idempotency table keeps nothing that could name a call
    or a guest, so an erasure has nothing to remove there.
    """
    parsed = CALL_EVENT.validate_python(event)
    table = get_settings().calls_table
    written = CallRecordStore(table).apply(parsed)
    if written and isinstance(parsed, CallStarted):
        count_answered_call()
    if isinstance(parsed, CallEnded | RoomFinished):
        outcome = OutcomeTally(table).claim(parsed.call_id)
        if outcome:
            count_ended_call(outcome)
    return {"written": written}


def count_answered_call() -> None:
    """``CallsAnswered``: an agent took a call. Its absence in service hours pages someone.

    Counted at the agent's ``call.started`` as it is first written (a redelivery counts
    nothing); no dimension: the alarm watches the whole deployment's phone line.
    """
    with single_metric(
        name="CallsAnswered",
        unit=MetricUnit.Count,
        value=1,
        namespace=metrics.namespace or "HotelVoice",
    ):
        pass


def count_ended_call(outcome: str) -> None:
    """``CallsEnded`` by outcome: what a failed-calls alarm and a calls-by-outcome chart read.

    Counted once per call (``hotelvoice.calls.outcome_tally``): at the agent's ``call.ended``
    or, for a call no agent ended (``unanswered``, ``agent_failed``), at the room's end; a
    redelivered event counts nothing. The outcome is the only dimension.
    """
    with single_metric(
        name="CallsEnded",
        unit=MetricUnit.Count,
        value=1,
        namespace=metrics.namespace or "HotelVoice",
    ) as metric:
        metric.add_dimension(name="outcome", value=outcome)


def record_handler(record: SQSRecord, lambda_context: Any = None) -> dict[str, Any]:
    """One SQS message: one call event; an invalid one fails here, before idempotency."""
    event = CALL_EVENT.validate_json(record.body)
    return apply_event(event.model_dump(mode="json"), lambda_context)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    """Apply a batch, reporting only the failed messages."""
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    failed = len(response.get("batchItemFailures", []))
    sent = [int(r.get("attributes", {}).get("SentTimestamp", 0)) for r in event.get("Records", [])]
    if any(sent):
        lag_ms = time.time() * 1000 - min(t for t in sent if t)
        metrics.add_metric(name="CallEventQueueLag", unit=MetricUnit.Milliseconds, value=lag_ms)
    metrics.add_metric(
        name="CallEventsApplied",
        unit=MetricUnit.Count,
        value=len(event.get("Records", [])) - failed,
    )
    metrics.add_metric(name="CallEventsFailed", unit=MetricUnit.Count, value=failed)
    return response
