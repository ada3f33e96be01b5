"""LiveKit webhooks: verify LiveKit's signature, normalise, queue, answer fast.

LiveKit signs each delivery with a JWT in ``Authorization`` (HS256 with our API secret)
whose ``sha256`` claim is the base64 SHA-256 of the raw body. ``livekit-api``'s
``TokenVerifier`` checks the token; the body hash is compared as its ``WebhookReceiver``
does, but separately from parsing, so a forged delivery is 401 and a signed but malformed
one is 400. Events we do not record are acknowledged, not queued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from aws_lambda_powertools.metrics import MetricUnit
from fastapi import APIRouter, Header, Request
from google.protobuf.json_format import MessageToDict, Parse, ParseError
from livekit.api.access_token import TokenVerifier
from livekit.protocol.webhook import WebhookEvent
from pydantic import BaseModel, ValidationError

from functions.runtime import metrics
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
def _verifier() -> TokenVerifier:
    key, secret = livekit_credentials()
    return TokenVerifier(key, secret)


def verified_body(raw: str, authorization: str | None) -> dict[str, Any]:
    """The webhook's JSON, only if LiveKit signed exactly these bytes."""
    if not authorization:
        raise Unauthorized("missing LiveKit signature")
    try:
        claims = _verifier().verify(authorization.removeprefix("Bearer ").strip())
        expected = base64.b64decode(claims.sha256 or "")
    except Exception as exc:  # jwt and binascii errors alike: not signed by LiveKit
        raise Unauthorized("invalid LiveKit signature") from exc
    if not hmac.compare_digest(hashlib.sha256(raw.encode()).digest(), expected):
        raise Unauthorized("invalid LiveKit signature")
    try:
        return MessageToDict(Parse(raw, WebhookEvent(), ignore_unknown_fields=True))
    except ParseError as exc:
        raise InvalidRequest("webhook body is not a LiveKit event") from exc


@router.post("/v1/livekit/webhook")
async def livekit_webhook(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> WebhookAccepted:
    """Receive one signed LiveKit webhook."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    try:
        body = verified_body(raw, authorization)
    except Unauthorized:
        metrics.add_metric(name="WebhooksRejected", unit=MetricUnit.Count, value=1)
        raise
    try:
        events = call_events_from_webhook(body)
    except (ValidationError, ValueError, OverflowError) as exc:
        # Signed by LiveKit but not a call we can record (no room, odd id, bad time): a 400,
        # never a 5xx that LiveKit would retry forever.
        raise InvalidRequest("webhook does not describe a recordable call event") from exc
    metrics.add_metric(name="WebhooksAccepted", unit=MetricUnit.Count, value=1)
    for event in events:
        enqueue(event)
    return WebhookAccepted(accepted=True, queued=len(events))


def _created_at(value: Any) -> datetime:
    """LiveKit's ``createdAt``: epoch seconds, an int64 as JSON text.

    A value no datetime can hold is a 400; the event model then bounds it to a sane window.
    """
    try:
        return datetime.fromtimestamp(int(value or 0), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise InvalidRequest("webhook createdAt is out of range") from exc


def call_events_from_webhook(payload: dict[str, Any]) -> list[Any]:
    """Map the webhook events a call record needs; the room name is the call id."""
    kind = payload.get("event", "")
    event_id = payload.get("id") or ""
    occurred = _created_at(payload.get("createdAt"))
    if not event_id:
        raise InvalidRequest("webhook without an event id")
    if not kind:  # proto3 JSON reads "event": null as unset
        raise InvalidRequest("webhook without an event type")
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
