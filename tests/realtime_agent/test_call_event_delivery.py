"""The agent's outbox: a busy, failing or absent API delays call events but loses none.

Every test runs the real reporter against an ``httpx.MockTransport`` that plays the API:
scripted answers (429 with Retry-After, 5xx, refused connections, a 400), the batches it
accepted, in the order they came. Waits between attempts are recorded, not slept, so what
is checked is what the reporter asked for, never how fast a machine is.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hotelvoice.contracts.call_events import Outcome
from realtime_agent import call_events
from realtime_agent.call_events import (
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    MAX_BATCH_BYTES,
    CallEventReporter,
)

API = "http://events-api.test"
SECRET_NAME = "Rossi"
SECRET_NUMBER = "+49 170 5550123"
Answer = int | tuple[int, dict[str, str]] | type[Exception]


class EventsApi:
    """``POST …/events/batch``: each request gets the next scripted answer, then 202."""

    def __init__(self, script: list[Answer] | None = None) -> None:
        self.script = list(script or [])
        self.batches: list[list[dict[str, Any]]] = []
        """Accepted batches, in arrival order."""
        self.answers: list[int | str] = []
        self.arrived = asyncio.Event()
        self.gate: asyncio.Event | None = None
        """While set to an unset event, requests wait for it (a batch held in flight)."""

    async def handle(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/events/batch")
        assert request.headers["authorization"] == "Bearer a-service-token"
        self.arrived.set()
        if self.gate is not None:
            await self.gate.wait()
        answer = self.script.pop(0) if self.script else 202
        if isinstance(answer, type):
            self.answers.append(answer.__name__)
            raise answer("scripted", request=request)
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        self.answers.append(status)
        if status == 202:
            events = json.loads(request.content)["events"]
            self.batches.append(events)
            return httpx.Response(202, json={"accepted": True, "event_ids": []})
        return httpx.Response(status, headers=headers, json={"error": {"code": "x"}})

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [event for batch in self.batches for event in batch]

    def reporter(self, call_id: str = "call-outbox", **options: Any) -> CallEventReporter:
        return CallEventReporter(
            API,
            "a-service-token",
            call_id,
            transport=httpx.MockTransport(self.handle),
            **options,
        )


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the reporter asks for between attempts, taken at once."""
    asked: list[float] = []

    async def pause(seconds: float) -> None:
        asked.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(call_events, "_pause", pause)
    return asked


async def until(condition: Callable[[], bool], what: str) -> None:
    """Let the reporter's task run until ``condition`` holds (a hang fails the test)."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"never happened: {what}")


def a_call(reporter: CallEventReporter, turns: int) -> None:
    reporter.started("aurora-berlin", "en", SECRET_NUMBER)
    for n in range(turns):
        reporter.turn("caller" if n % 2 == 0 else "agent", f"turn {n}")
    reporter.ended(Outcome.COMPLETED)


async def test_429_503_and_refused_connections_delay_but_lose_and_double_nothing(waits):
    api = EventsApi(
        [
            httpx.ConnectError,
            (429, {"Retry-After": "7"}),
            503,
            502,
            httpx.ReadTimeout,
            500,
            408,
        ]
    )
    reporter = api.reporter()
    a_call(reporter, turns=6)
    await reporter.aclose(timeout_s=30)

    assert reporter.failed == 0
    assert reporter.pending == 0
    assert [e["type"] for e in api.accepted] == ["call.started", *["call.turn"] * 6, "call.ended"]
    assert [e["index"] for e in api.accepted if e["type"] == "call.turn"] == list(range(6))
    assert len({e["event_id"] for e in api.accepted}) == 8
    assert api.answers[:7] == ["ConnectError", 429, 503, 502, "ReadTimeout", 500, 408]
    # The 429 asked for seven seconds, and got them; the others back off exponentially.
    assert waits[1] >= 7
    for attempt, wait in enumerate(waits):
        if attempt != 1:
            expected = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt)
            assert 0.5 * expected <= wait <= 1.5 * expected, (attempt, wait)


async def test_backoff_is_jittered_and_capped(waits):
    api = EventsApi([503] * 12)
    reporter = api.reporter()
    reporter.started("aurora-berlin", "en", None)
    await reporter.aclose(timeout_s=30)
    assert reporter.failed == 0
    assert len(waits) == 12
    assert max(waits) <= 1.5 * BACKOFF_CAP_S
    assert min(waits[-4:]) >= 0.5 * BACKOFF_CAP_S  # capped, not growing without bound
    assert len(set(waits)) == len(waits)  # jittered: a fleet does not retry in step


async def test_a_refused_batch_is_dropped_alone_and_logged_without_personal_data(waits, caplog):
    api = EventsApi([400])
    api.gate = asyncio.Event()
    reporter = api.reporter()
    reporter.started("aurora-berlin", "en", SECRET_NUMBER)
    reporter.turn("caller", f"my name is {SECRET_NAME}")
    await until(api.arrived.is_set, "the first batch is in flight")
    reporter.turn("agent", "Thank you.")  # queued behind the batch in flight
    reporter.ended(Outcome.COMPLETED)
    with caplog.at_level(logging.DEBUG, logger="hotelvoice.agent.events"):
        api.gate.set()
        await reporter.aclose(timeout_s=30)

    assert api.answers == [400, 202]
    assert reporter.failed == 2
    assert [(e["type"], e.get("index")) for e in api.accepted] == [
        ("call.turn", 1),
        ("call.ended", None),
    ]
    assert waits == []  # a 400 is final: not retried
    refused = [r for r in caplog.records if r.getMessage() == "call events refused"]
    assert [(r.status, r.events, r.event_types) for r in refused] == [
        (400, 2, ["call.started", "call.turn"])
    ]
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert SECRET_NAME not in logged
    assert SECRET_NUMBER not in logged


async def test_order_is_kept_across_many_small_batches(waits):
    api = EventsApi([503, 503])
    reporter = api.reporter(max_batch=3)
    a_call(reporter, turns=20)
    for n in range(3):
        reporter.tool("get_hotel_info", {"topic": "parking"}, f"result {n}", ok=True, duration_ms=1)
    await reporter.aclose(timeout_s=30)

    assert reporter.failed == 0
    assert all(1 <= len(batch) <= 3 for batch in api.batches)
    turns = [e["index"] for e in api.accepted if e["type"] == "call.turn"]
    assert turns == list(range(20))
    assert [e["result"] for e in api.accepted if e["type"] == "call.tool"] == [
        "result 0",
        "result 1",
        "result 2",
    ]
    assert api.accepted[0]["type"] == "call.started"
    assert len({e["event_id"] for e in api.accepted}) == len(api.accepted) == 25


async def test_events_waiting_together_share_one_request(waits):
    api = EventsApi()
    reporter = api.reporter(linger_s=3600)
    reporter.started("aurora-berlin", "en", None)
    reporter.turn("caller", "is there parking")
    reporter.tool("get_hotel_info", {"topic": "parking"}, "a garage", ok=True, duration_ms=1)
    # The agent's reply ends the turn: sent now, not after the (hour-long) linger.
    reporter.turn("agent", "There is a garage.")
    await until(lambda: len(api.batches) == 1, "the turn's batch is sent")
    assert [e["type"] for e in api.batches[0]] == [
        "call.started",
        "call.turn",
        "call.tool",
        "call.turn",
    ]
    reporter.turn("caller", "thank you")
    await asyncio.sleep(0.05)
    assert len(api.batches) == 1, "a caller's words wait for the linger (or the reply)"
    await reporter.aclose(timeout_s=30)  # closing sends what waits
    assert [len(batch) for batch in api.batches] == [4, 1]


async def test_close_flushes_within_its_deadline_and_counts_what_it_could_not_send():
    async def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    reporter = CallEventReporter(API, "t", "call-down", transport=httpx.MockTransport(down))
    a_call(reporter, turns=3)
    await asyncio.wait_for(reporter.aclose(timeout_s=0.3), 30)  # returns: does not hang
    assert reporter.failed == 5
    assert reporter.pending == 0


async def test_a_full_outbox_keeps_the_oldest_events_and_never_blocks(waits, caplog):
    api = EventsApi()
    api.gate = asyncio.Event()  # the API hangs: nothing leaves the outbox
    reporter = api.reporter(outbox_limit=5)
    with caplog.at_level(logging.WARNING, logger="hotelvoice.agent.events"):
        a_call(reporter, turns=7)  # 9 events, synchronously: the caller never waits
        assert reporter.pending == 5
        assert reporter.failed == 4
        api.gate.set()
        await reporter.aclose(timeout_s=30)
    assert [e["type"] for e in api.accepted] == ["call.started", *["call.turn"] * 4]
    assert [e["index"] for e in api.accepted[1:]] == [0, 1, 2, 3]
    assert reporter.failed == 4
    dropped = [r for r in caplog.records if r.getMessage().startswith("call events dropped")]
    assert [(r.dropped, r.outbox_limit) for r in dropped] == [(4, 5)]


async def test_a_batch_stays_under_the_api_body_limit(waits):
    sizes: list[int] = []
    api = EventsApi()

    async def measure(request: httpx.Request) -> httpx.Response:
        sizes.append(len(request.content))
        return await api.handle(request)

    reporter = CallEventReporter(
        API, "a-service-token", "call-long", transport=httpx.MockTransport(measure)
    )
    reporter.started("aurora-berlin", "en", None)
    for n in range(40):
        reporter.turn("caller", f"{n} " + "long words " * 360)  # ~4 KB each
    await reporter.aclose(timeout_s=30)
    assert len(sizes) > 1
    assert max(sizes) <= MAX_BATCH_BYTES
    assert [e["index"] for e in api.accepted[1:]] == list(range(40))


async def test_a_reporter_with_a_transport_closes_only_its_own_client():
    closed: list[bool] = []

    class Tracking(httpx.MockTransport):
        async def aclose(self) -> None:
            closed.append(True)

    reporter = CallEventReporter(
        API, "t", "call-own", transport=Tracking(lambda r: httpx.Response(202, json={}))
    )
    reporter.started("aurora-berlin", "en", None)
    await reporter.aclose()
    assert closed == [True]
