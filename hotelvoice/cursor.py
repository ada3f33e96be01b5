"""Opaque pagination cursors: DynamoDB's ``LastEvaluatedKey``, signed so it cannot be forged.

A caller can hand back only a cursor we issued; an edited one is a clear 400, never a
DynamoDB error or a peek at another hotel's partition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from hotelvoice.auth import signing_key
from hotelvoice.errors import InvalidRequest

CURSOR_FIELDS = {"pk", "sk", "hotel_id", "started_at", "item_key", "item_at"}
"""The keys of the tables and indexes we page through, all strings."""


def _mac(payload: bytes) -> bytes:
    return hmac.new(signing_key().encode(), payload, hashlib.sha256).digest()[:16]


def encode_cursor(key: dict[str, Any]) -> str:
    """``LastEvaluatedKey`` → URL-safe opaque string."""
    payload = json.dumps(key, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_mac(payload) + payload).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """Opaque string → ``ExclusiveStartKey``, or :class:`InvalidRequest`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        mac, payload = raw[:16], raw[16:]
        if not hmac.compare_digest(mac, _mac(payload)):
            raise ValueError("bad signature")
        key = json.loads(payload)
        if not isinstance(key, dict) or not key or not set(key) <= CURSOR_FIELDS:
            raise ValueError("not a key")
        if not all(isinstance(v, str) and 0 < len(v) <= 512 for v in key.values()):
            raise ValueError("ill-typed key")  # DynamoDB would refuse it with a 500 behind
    except (ValueError, TypeError) as exc:
        raise InvalidRequest("invalid cursor", code="invalid_cursor") from exc
    return key


def resume_from(cursor: str, **expected: str) -> dict[str, Any]:
    """A cursor's key, if it was issued for this query (the same partition): else a 400.

    A cursor of another hotel, or of another status, would otherwise page through a
    partition the request was never scoped to.
    """
    key = decode_cursor(cursor)
    if any(key.get(name) != value for name, value in expected.items()):
        raise InvalidRequest("cursor belongs to another query", code="invalid_cursor")
    return key
