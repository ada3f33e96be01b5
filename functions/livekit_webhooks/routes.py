"""LiveKit webhooks: verify LiveKit's signature, normalise, queue, answer fast.

LiveKit signs each delivery with a JWT in ``Authorization`` (HS256 with our API secret)
whose ``sha256`` claim is the base64 SHA-256 of the raw body. ``livekit-api``'s
``TokenVerifier`` checks the token; the body hash is compared as its ``WebhookReceiver``
does, but separately from parsing, so a forged delivery is 401 and a signed but malformed
one is 400. Events we do not record are acknowledged, not queued.

The webhooks make the call record on their own (``docs/telephony.md``): the room's SID is
the call id, the SIP participant's attributes name the dialled number (→ the hotel, which
then owns the call) and the caller's number (hashed and sealed by the consumer), and the
room's end closes the record as ``unanswered`` or ``agent_failed`` unless the agent says
otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, ValidationError

from functions.runtime import metrics
from hotelvoice.calls.ownership import CallOwnership
from hotelvoice.calls.queue import enqueue
from hotelvoice.contracts.call_events import (
    AgentJoined,
    CallerJoined,
    CallerLeft,
    RecordingReady,
    RoomFinished,
    RoomStarted,
)
from hotelvoice.contracts.privacy import canonical_phone
from hotelvoice.errors import InvalidRequest, Unauthorized, Unavailable
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.secrets import livekit_credentials
from hotelvoice.settings import get_settings

if TYPE_CHECKING:
    from livekit.api.access_token import TokenVerifier

router = APIRouter(tags=["livekit"])
LAZY_IMPORTS = ("livekit.api.access_token", "livekit.protocol.webhook", "google.protobuf")
"""Loaded by the first signed delivery, not at import: ``livekit.api`` brings aiohttp and
every LiveKit service, a third of this function's cold start (``make bench``); SnapStart
loads them before its snapshot (``functions/snapshot.py``)."""


class WebhookAccepted(BaseModel):
    """Answer to LiveKit: it retries anything else."""

    accepted: bool
    queued: int


@lru_cache(maxsize=1)
def _verifier() -> TokenVerifier:
    from livekit.api.access_token import TokenVerifier

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
    from google.protobuf.json_format import MessageToDict, Parse, ParseError
    from livekit.protocol.webhook import WebhookEvent

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
        events = call_events_from_webhook(body, _hotel_for_number)
    except (ValidationError, ValueError, OverflowError) as exc:
        # Signed by LiveKit but not a call we can record (no room, odd id, bad time): a 400,
        # never a 5xx that LiveKit would retry forever.
        raise InvalidRequest("webhook does not describe a recordable call event") from exc
    metrics.add_metric(name="WebhooksAccepted", unit=MetricUnit.Count, value=1)
    for event in events:
        if isinstance(event, CallerJoined) and event.hotel_id:
            CallOwnership(get_settings().calls_table).assign(event.call_id, event.hotel_id)
        enqueue(event)
    return WebhookAccepted(accepted=True, queued=len(events))


def _hotel_for_number(dialled: str) -> str | None:
    """The dialled number's hotel; a call to a number no hotel answers is still recorded."""
    try:
        hotel_id = HotelDirectory(get_settings().hotels_table).hotel_id_for_number(dialled)
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable("the dialled number's hotel cannot be looked up; retry") from exc
    if hotel_id is None:
        metrics.add_metric(name="CallsToUnknownNumbers", unit=MetricUnit.Count, value=1)
    return hotel_id


def _created_at(value: Any) -> datetime:
    """LiveKit's ``createdAt``: epoch seconds, an int64 as JSON text.

    A value no datetime can hold is a 400; the event model then bounds it to a sane window.
    """
    try:
        return datetime.fromtimestamp(int(value or 0), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise InvalidRequest("webhook createdAt is out of range") from exc


PHONE_NUMBER = re.compile(r"^\+?[0-9]{3,20}$")


def call_events_from_webhook(
    payload: dict[str, Any], hotel_for_number: Callable[[str], str | None]
) -> list[Any]:
    """The call events a webhook stands for; the room's SID is the call id.

    The room's name is never used: LiveKit SIP's individual dispatch rule names the room
    after the caller's number. ``hotel_for_number`` finds the hotel from the dialled number.
    """
    kind = payload.get("event", "")
    event_id = payload.get("id") or ""
    occurred = _created_at(payload.get("createdAt"))
    if not event_id:
        raise InvalidRequest("webhook without an event id")
    if not kind:  # proto3 JSON reads "event": null as unset
        raise InvalidRequest("webhook without an event type")
    room = payload.get("room") or {}
    base = {"event_id": event_id, "call_id": room.get("sid", ""), "occurred_at": occurred}
    match kind:
        case "room_started":
            return [RoomStarted(**base)]
        case "room_finished":
            return [RoomFinished(**base)]
        case "participant_joined" | "participant_left":
            who = payload.get("participant") or {}
            return _participant_events(kind, who, base, hotel_for_number)
        case "egress_ended":
            info = payload.get("egressInfo", {})
            return [
                RecordingReady(
                    event_id=f"{event_id}-{n}",
                    call_id=info.get("roomId", ""),
                    occurred_at=occurred,
                    location=result.get("location", ""),
                    duration_s=int(result.get("duration", "0")) / 1e9,
                )
                for n, result in enumerate(info.get("fileResults", []))
            ]
    return []


def _participant_events(
    kind: str,
    participant: dict[str, Any],
    base: dict[str, Any],
    hotel_for_number: Callable[[str], str | None],
) -> list[Any]:
    """The SIP caller's arrival and departure, and the agent's arrival; nobody else's."""
    role = participant.get("kind", "STANDARD")
    joined = kind == "participant_joined"
    if role == "AGENT":
        return [AgentJoined(**base)] if joined else []
    if role != "SIP":
        return []
    if not joined:
        return [CallerLeft(**base)]
    attributes = participant.get("attributes") or {}
    # Both numbers come from the caller's INVITE: only a phone number's shape is looked up
    # or kept (a DynamoDB key cannot be any length).
    dialled = canonical_phone(attributes.get("sip.trunkPhoneNumber") or "")
    number = canonical_phone(attributes.get("sip.phoneNumber") or "")
    return [
        CallerJoined(
            **base,
            hotel_id=hotel_for_number(dialled) if PHONE_NUMBER.fullmatch(dialled) else None,
            caller_number=number if PHONE_NUMBER.fullmatch(number) else None,
            sip_call_id=(attributes.get("sip.callID") or "")[:128] or None,
        )
    ]
