"""Calls for ``hotelvoice api`` to show: the console needs records, a fresh stack has none.

Each call in ``demo_calls.json`` is replayed as the events the agent and LiveKit send, and
applied by the consumer's own store, so the seeded records are redacted, hashed and indexed
exactly as real ones are. Call and event ids derive from the call's place in the file, so
seeding twice writes nothing twice.
"""

from __future__ import annotations

import io
import json
import uuid
import wave
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hotelvoice import aws
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import (
    BookingMade,
    CallEnded,
    CallStarted,
    CallTransferred,
    ConsentRecorded,
    FrontDeskRequest,
    MessageTaken,
    RecordingReady,
    ToolCalled,
    TurnRecorded,
)

DEMO_CALLS_FILE = Path(__file__).with_name("demo_calls.json")
_NAMESPACE = uuid.UUID("6f1c2a4e-6b4f-4f7e-9c55-3d1f0c9a7e21")


def demo_call_scripts() -> list[dict[str, Any]]:
    """The seeded calls as the data file describes them."""
    return json.loads(DEMO_CALLS_FILE.read_text(encoding="utf-8"))["calls"]


def demo_hotels() -> list[str]:
    """Every hotel with seeded calls, in the file's order."""
    return list(dict.fromkeys(script["hotel_id"] for script in demo_call_scripts()))


def demo_call_id(number: int) -> str:
    """The id of the file's ``number``-th call: the same in every seeded stack."""
    return str(uuid.uuid5(_NAMESPACE, f"call-{number}"))


def demo_call_ids() -> dict[str, list[str]]:
    """Each hotel's seeded call ids, newest first (as the calls API lists them)."""
    scripts = sorted(enumerate(demo_call_scripts()), key=lambda pair: pair[1]["hours_ago"])
    ids: dict[str, list[str]] = {}
    for number, script in scripts:
        ids.setdefault(script["hotel_id"], []).append(demo_call_id(number))
    return ids


def seed_demo_calls(
    store: CallRecordStore, now: datetime | None = None, recordings_bucket: str | None = None
) -> list[str]:
    """Write every seeded call; returns their ids in the file's order.

    A ``recorded`` call also gets a short recording in ``recordings_bucket``, announced as
    LiveKit's egress would announce it.
    """
    moment = now or datetime.now(UTC)
    ids = []
    for number, script in enumerate(demo_call_scripts()):
        call_id = demo_call_id(number)
        for event in call_events(call_id, script, moment):
            store.apply(event)
        if script.get("recorded") and recordings_bucket:
            store.apply(_recording(call_id, script, moment, recordings_bucket))
        ids.append(call_id)
    return ids


def _recording(call_id: str, script: dict[str, Any], now: datetime, bucket: str) -> RecordingReady:
    """Two seconds of silence where egress writes recordings (``recordings/<hotel>/<call>``)."""
    key = f"recordings/{script['hotel_id']}/{call_id}.wav"
    sound = io.BytesIO()
    with wave.open(sound, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 16000)
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=sound.getvalue())
    ended = now - timedelta(hours=script["hours_ago"]) + timedelta(minutes=script["minutes"])
    return RecordingReady(
        event_id=str(uuid.uuid5(_NAMESPACE, f"{call_id}-recording")),
        call_id=call_id,
        occurred_at=ended,
        location=f"s3://{bucket}/{key}",
        duration_s=2.0,
    )


def call_events(call_id: str, script: dict[str, Any], now: datetime) -> list[Any]:
    """One scripted call as its events, in the order the agent would send them."""
    started = now - timedelta(hours=script["hours_ago"])
    ended = started + timedelta(minutes=script["minutes"])
    step = (ended - started) / (len(script["turns"]) + 2)
    counter = iter(range(1000))

    def ids(at: datetime) -> dict[str, Any]:
        event_id = str(uuid.uuid5(_NAMESPACE, f"{call_id}-{next(counter)}"))
        return {"event_id": event_id, "call_id": call_id, "occurred_at": at}

    language = script["language"]
    events: list[Any] = [
        CallStarted(
            **ids(started),
            hotel_id=script["hotel_id"],
            language=language,
            caller_number=script["caller_number"],
        ),
        ConsentRecorded(
            **ids(started),
            recording="recorded" if script.get("recorded") else "not_recorded",
            via="hotel_config",
        ),
    ]
    for index, (role, text) in enumerate(script["turns"]):
        events.append(
            TurnRecorded(**ids(started + step * (index + 1)), index=index, role=role, text=text)
        )
    late = started + step * (len(script["turns"]) + 1)
    for index, (name, arguments, result) in enumerate(script.get("tools", [])):
        events.append(
            ToolCalled(
                **ids(late),
                index=index,
                name=name,
                arguments=arguments,
                result=result,
                duration_ms=180.0,
            )
        )
    if booking := script.get("booking"):
        arrival = started.date() + timedelta(days=7)
        events.append(_booking(ids(late), booking, arrival))
    if request := script.get("request"):
        events.append(FrontDeskRequest(**ids(late), language=language, **request))
    if message := script.get("message"):
        events.append(MessageTaken(**ids(late), language=language, **message))
    if transfer := script.get("transfer"):
        events.append(CallTransferred(**ids(late), target="tel:+493055501000", **transfer))
    events.append(CallEnded(**ids(ended), outcome=script["outcome"]))
    return events


def _booking(ids: dict[str, Any], booking: dict[str, Any], arrival: date) -> BookingMade:
    fields = {k: v for k, v in booking.items() if k != "nights"}
    departure = arrival + timedelta(days=booking["nights"])
    return BookingMade(**ids, arrival=arrival, departure=departure, **fields)
