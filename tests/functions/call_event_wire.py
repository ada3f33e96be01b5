"""Call events as the agent posts them, for tests that build calls event by event."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any


def call_event(call_id: str, kind: str, n: int, *, start: datetime, **fields: Any) -> dict:
    """Event ``kind`` of the call, ``n`` seconds after ``start`` (``n`` also keeps ids apart)."""
    at = (start + timedelta(seconds=n)).isoformat().replace("+00:00", "Z")
    return {
        "type": kind,
        "event_id": f"{call_id}:{kind}:{n}",
        "call_id": call_id,
        "occurred_at": at,
        **fields,
    }


def post_json(plane: Any, headers: dict[str, str], path: str, body: Any) -> Any:
    """POST ``body`` as JSON to the local API."""
    headers = {**headers, "content-type": "application/json"}
    return plane.api.request("POST", path, headers, json.dumps(body))
