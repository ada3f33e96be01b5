"""SQS consumer: call events → call records, with partial batch failures.

A record that fails (invalid event, table error) is reported back alone; SQS redelivers it
and, after the queue's ``maxReceiveCount``, moves it to the dead-letter queue. Each event is
applied at most once per ``event_id`` (Powertools idempotency), and the store's conditional
writes make even a second application harmless.
"""

from __future__ import annotations

import os
import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from functions.runtime import logger, metrics, tracer
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT, CallEnded
from hotelvoice.settings import get_settings

processor = BatchProcessor(event_type=EventType.SQS)
idempotency = IdempotencyConfig(event_key_jmespath="event_id", expires_after_seconds=24 * 3600)
persistence = DynamoDBPersistenceLayer(
    table_name=os.environ.get("HOTELVOICE_IDEMPOTENCY_TABLE", "")
)


@idempotent_function(
    data_keyword_argument="event", config=idempotency, persistence_store=persistence
)
def apply_event(event: dict[str, Any]) -> dict[str, Any]:
    """Apply one validated event; the result is what idempotency remembers.

    Only whether it was written: the idempotency table keeps nothing that could name a call
    or a guest, so an erasure has nothing to remove there.
    """
    parsed = CALL_EVENT.validate_python(event)
    written = CallRecordStore(get_settings().calls_table).apply(parsed)
    if written and isinstance(parsed, CallEnded):
        count_ended_call(parsed.outcome)
    return {"written": written}


def count_ended_call(outcome: str) -> None:
    """``CallsEnded`` by outcome: what a failed-calls alarm and a calls-by-outcome chart read.

    Counted here, once per call's ``call.ended`` that was written (a redelivered event is
    not), so the count matches the records; the outcome is the only dimension.
    """
    with single_metric(
        name="CallsEnded",
        unit=MetricUnit.Count,
        value=1,
        namespace=metrics.namespace or "HotelVoice",
    ) as metric:
        metric.add_dimension(name="outcome", value=outcome)


def record_handler(record: SQSRecord) -> dict[str, Any]:
    """One SQS message: one call event; an invalid one fails here, before idempotency."""
    event = CALL_EVENT.validate_json(record.body)
    return apply_event(event=event.model_dump(mode="json"))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    """Apply a batch, reporting only the failed messages."""
    idempotency.register_lambda_context(context)
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
