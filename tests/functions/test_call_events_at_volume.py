"""A thousand events, one in ten delivered twice, in shuffled order: 0 lost, 0 doubled."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from boto3.dynamodb.conditions import Key
from livekit.api import AccessToken

from hotelvoice.auth import Role
from hotelvoice.secrets import LOCAL_LIVEKIT_API_SECRET

CALLS, TURNS, TOOLS = 50, 16, 2
WAVE = 100
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def events_of(n: int) -> list[tuple[str, dict]]:
    call_id = f"volume-{n:03d}"
    at = lambda s: (T0 + timedelta(minutes=n, seconds=s)).isoformat()  # noqa: E731
    agent = [
        {
            "type": "call.started",
            "event_id": f"{call_id}:started",
            "call_id": call_id,
            "occurred_at": at(0),
            "hotel_id": "volume-hotel",
            "language": "en",
        }
    ]
    agent += [
        {
            "type": "call.turn",
            "event_id": f"{call_id}:turn:{i}",
            "call_id": call_id,
            "occurred_at": at(1 + i),
            "index": i,
            "role": ("caller", "agent")[i % 2],
            "text": f"utterance {i}",
        }
        for i in range(TURNS)
    ]
    agent += [
        {
            "type": "call.tool",
            "event_id": f"{call_id}:tool:{i}",
            "call_id": call_id,
            "occurred_at": at(2 + i),
            "index": i,
            "name": "check_availability",
            "arguments": {"adults": 2},
            "result": "{}",
            "ok": True,
            "duration_ms": 5.0,
        }
        for i in range(TOOLS)
    ]
    agent.append(
        {
            "type": "call.ended",
            "event_id": f"{call_id}:ended",
            "call_id": call_id,
            "occurred_at": at(60),
            "outcome": "completed",
        }
    )
    webhook = {
        "event": "room_finished",
        "id": f"EV_{call_id}",
        "createdAt": str(int((T0 + timedelta(minutes=n, seconds=61)).timestamp())),
        "room": {"name": f"call-_+4930555{n:04d}_x", "sid": call_id},
    }
    return [("agent", e) for e in agent] + [("webhook", webhook)]


def deliver(plane, service_headers, kind: str, payload: dict) -> int:
    if kind == "agent":
        return plane.api.request(
            "POST",
            f"/v1/calls/{payload['call_id']}/events",
            {**service_headers, "content-type": "application/json"},
            json.dumps(payload),
        ).status
    body = json.dumps(payload)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    signature = AccessToken("devkey", LOCAL_LIVEKIT_API_SECRET).with_sha256(digest).to_jwt()
    return plane.api.request(
        "POST", "/v1/livekit/webhook", {"authorization": signature}, body
    ).status


def test_a_thousand_events_with_duplicates_in_any_order(plane):
    # A principal of its own: a thousand events use most of a minute's service budget, which
    # the shared agent token of the other tests in this worker must not run out of.
    service_headers = {
        "authorization": f"Bearer {plane.token(Role.SERVICE, subject='volume-agent')}"
    }
    rng = random.Random(1125)
    unique = [e for n in range(CALLS) for e in events_of(n)]
    deliveries = unique + rng.sample(unique, len(unique) // 10 + 1)
    rng.shuffle(deliveries)
    assert len(unique) >= 1000
    started = time.perf_counter()
    statuses = []
    # In waves, as traffic arrives in production: moto's SQS costs grow with the queue's
    # length (a full queue makes every send slower), the consumer's work does not.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for wave in range(0, len(deliveries), WAVE):
            batch = deliveries[wave : wave + WAVE]
            statuses += pool.map(lambda d: deliver(plane, service_headers, *d), batch)
            plane.drain(timeout_s=120)
    assert set(statuses) <= {200, 202}
    print(f"delivered and applied in {time.perf_counter() - started:.1f}s")

    table = plane.table("CallsTable")
    for n in range(CALLS):
        call_id = f"volume-{n:03d}"
        items = table.query(KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}"))["Items"]
        kinds = sorted(i["sk"].split("#")[0] for i in items)
        # OWNER: the hotel the API let the call's events in for (hotelvoice.calls.ownership).
        assert kinds == ["OWNER", "SUMMARY"] + ["TOOL"] * TOOLS + ["TURN"] * TURNS, call_id
        summary = next(i for i in items if i["sk"] == "SUMMARY")
        assert summary["outcome"] == "completed"
        assert summary["started_at"] == (T0 + timedelta(minutes=n)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        assert summary["ended_at"] == (T0 + timedelta(minutes=n, seconds=60)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
