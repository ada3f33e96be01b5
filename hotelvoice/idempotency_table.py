"""Records that make a write happen once: a conditional put into the idempotency table.

Two users: the confirmation e-mail's claim (``mail#…``: only the request that puts it
sends) and a PMS write's Idempotency-Key (``pms-write#…``: bound to the hash of its
request's body, so the same key with another body is told apart from a retry). Either record
outlives every retry of its write (clients retry for minutes, not days) and expires like
every record of the table, after a day.
"""

from __future__ import annotations

import logging
import time
from typing import Final, Literal

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.settings import get_settings

logger = logging.getLogger(__name__)
RETRY_WINDOW_S: Final = 24 * 3600
"""How long a record stands: longer than any client retries its write."""
Claim = Literal["first", "taken", "unknown"]


def claim_once(record_id: str, *, body: str | None = None) -> Claim:
    """Put ``record_id``: ``first`` if it was not there (or held the same ``body``).

    ``taken`` if it was (with another ``body``, where one is given); ``unknown`` where the
    table did not answer, logged with the error's code and nothing of the record.
    """
    item = {
        "id": {"S": record_id},
        "expiration": {"N": str(int(time.time()) + RETRY_WINDOW_S)},
    }
    condition = "attribute_not_exists(id)"
    values: dict[str, dict[str, str]] = {}
    if body is not None:
        item["body"] = {"S": body}
        condition += " OR body = :body"
        values[":body"] = {"S": body}
    try:
        aws.client("dynamodb").put_item(
            TableName=get_settings().idempotency_table,
            Item=item,
            ConditionExpression=condition,
            **({"ExpressionAttributeValues": values} if values else {}),
        )
    except ClientError as exc:
        code = exc.response["Error"]["Code"]
        if code == "ConditionalCheckFailedException":
            return "taken"
        logger.warning("idempotency record not written", extra={"error": code})
        return "unknown"
    except BotoCoreError as exc:
        logger.warning("idempotency record not written", extra={"error": type(exc).__name__})
        return "unknown"
    return "first"
