"""Per-principal request limits, shared by every Lambda instance through DynamoDB.

A fixed one-minute window per principal: one conditional ``ADD`` per request counts it and
refuses it past the limit, atomically, however many instances serve the API. API Gateway's
route throttling (template.yaml) caps the whole API; this caps each caller. If the counter
table cannot be reached the request is let through and logged: a broken limiter must not take
the hotel's phone line down.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.auth import Principal
from hotelvoice.errors import RateLimited
from hotelvoice.settings import get_settings

log = logging.getLogger("hotelvoice.rate_limit")
WINDOW_S = 60


def enforce_rate_limit(principal: Principal, *, now: float | None = None) -> None:
    """Count one request of ``principal``; raise :class:`RateLimited` past its role's limit."""
    settings = get_settings()
    if not settings.rate_limit_table:
        return
    limit = settings.rate_limits.get(principal.role.value)
    if limit is None:
        return
    now = time.time() if now is None else now
    window = int(now // WINDOW_S) * WINDOW_S
    try:
        _count(
            settings.rate_limit_table,
            f"{principal.role.value}#{principal.subject}#{window}",
            limit,
            window,
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            log.warning("rate limiter unavailable; request allowed", exc_info=True)
            return
        raise RateLimited(
            f"more than {limit} requests a minute",
            retry_after_s=max(1, int(window + WINDOW_S - now)),
        ) from None
    except BotoCoreError:
        log.warning("rate limiter unavailable; request allowed", exc_info=True)


def _count(table_name: str, key: str, limit: int, window: int) -> Any:
    return aws.client("dynamodb").update_item(
        TableName=table_name,
        Key={"pk": {"S": key}},
        UpdateExpression="ADD hits :one SET expires_at = :expires",
        ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
        ExpressionAttributeValues={
            ":one": {"N": "1"},
            ":limit": {"N": str(limit)},
            ":expires": {"N": str(window + 2 * WINDOW_S)},
        },
    )
