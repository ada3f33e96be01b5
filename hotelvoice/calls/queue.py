"""Putting call events on the call-events queue (webhooks and the agent's events API)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.errors import Unavailable
from hotelvoice.settings import get_settings


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
