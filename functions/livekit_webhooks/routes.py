"""LiveKit webhooks: verify LiveKit's signature, normalise, queue, answer fast.

LiveKit signs each delivery with a JWT in ``Authorization`` (HS256 with our API secret)
whose ``sha256`` claim is the base64 SHA-256 of the raw body; ``livekit-api``'s
``WebhookReceiver`` checks both. Events we do not record are acknowledged, not queued.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from google.protobuf.json_format import MessageToDict
from livekit.api.access_token import TokenVerifier
from livekit.api.webhook import WebhookReceiver
from pydantic import BaseModel

from hotelvoice.calls.queue import enqueue
from hotelvoice.contracts.call_events import RecordingReady, RoomFinished
from hotelvoice.errors import InvalidRequest, Unauthorized
from hotelvoice.secrets import livekit_credentials

router = APIRouter(tags=["livekit"])


class WebhookAccepted(BaseModel):
    """Answer to LiveKit: it retries anything else."""

    accepted: bool
    queued: int


@lru_cache(maxsize=1)
def _receiver() -> WebhookReceiver:
    key, secret = livekit_credentials()
    return WebhookReceiver(TokenVerifier(key, secret))


@router.post("/v1/livekit/webhook")
async def livekit_webhook(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> WebhookAccepted:
    """Receive one signed LiveKit webhook."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    if not authorization:
        raise Unauthorized("missing LiveKit signature")
    try:
        message = _receiver().receive(raw, authorization.removeprefix("Bearer ").strip())
    except Exception as exc:
        # The receiver raises bare Exceptions and JWT errors alike: all mean "not LiveKit".
        raise Unauthorized("invalid LiveKit signature") from exc
    events = call_events_from_webhook(MessageToDict(message))
    for event in events:
        enqueue(event)
    return WebhookAccepted(accepted=True, queued=len(events))


def call_events_from_webhook(payload: dict[str, Any]) -> list[Any]:
    """Map the webhook events a call record needs; the room name is the call id."""
    kind = payload.get("event", "")
    event_id = payload.get("id") or ""
    occurred = datetime.fromtimestamp(int(payload.get("createdAt", "0") or 0), UTC)
    if not event_id:
        raise InvalidRequest("webhook without an event id")
    if kind == "room_finished":
        room = payload.get("room", {}).get("name", "")
        return [RoomFinished(event_id=event_id, call_id=room, occurred_at=occurred)]
    if kind == "egress_ended":
        info = payload.get("egressInfo", {})
        return [
            RecordingReady(
                event_id=f"{event_id}-{n}",
                call_id=info.get("roomName", ""),
                occurred_at=occurred,
                location=result.get("location", ""),
                duration_s=int(result.get("duration", "0")) / 1e9,
            )
            for n, result in enumerate(info.get("fileResults", []))
        ]
    return []
