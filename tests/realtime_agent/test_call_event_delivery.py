"""The agent's call events survive a busy or restarting API: retried, in order, once each."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from hotelvoice.contracts.call_events import Outcome
from realtime_agent.call_events import CallEventReporter
from tests.peers.aiohttp_thread import ThreadedAiohttpServer


class FlakyEventsApi:
    """``POST /v1/calls/{id}/events``: answers each request with the next scripted status
    (then 202), and keeps the bodies it accepted."""

    def __init__(self, script: list[tuple[int, dict[str, str]]]) -> None:
        self.script = list(script)
        self.accepted: list[dict] = []
        self.seen: list[tuple[float, int]] = []
        self.server = ThreadedAiohttpServer(self._app, "flaky-events-api")

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/calls/{call_id}/events", self._post)
        return app

    async def _post(self, request: web.Request) -> web.Response:
        status, headers = self.script.pop(0) if self.script else (202, {})
        self.seen.append((time.monotonic(), status))
        if status == 202:
            self.accepted.append(await request.json())
        return web.json_response({"accepted": status == 202}, status=status, headers=headers)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


def report_a_call(api: FlakyEventsApi, call_id: str, turns: int, wait_s: float) -> int:
    """Report a call's start, ``turns`` turns and end to ``api``; the events that failed."""

    async def call() -> int:
        reporter = CallEventReporter(api.url, "a-service-token", call_id)
        reporter.started("aurora-berlin", "en", None)
        for n in range(turns):
            reporter.turn("caller", f"turn {n}")
        reporter.ended(Outcome.COMPLETED)
        await reporter.aclose(timeout_s=wait_s)
        return reporter.failed

    api.server.start()
    try:
        return asyncio.run(call())
    finally:
        api.server.stop()


def test_a_busy_or_failing_api_delays_events_but_loses_and_doubles_none():
    api = FlakyEventsApi(
        [(429, {"Retry-After": "1"}), (503, {}), (502, {}), (500, {}), (429, {"Retry-After": "0"})]
    )
    failed = report_a_call(api, "call-delivery-1", turns=3, wait_s=30)
    assert failed == 0
    types = [e["type"] for e in api.accepted]
    assert types == ["call.started", "call.turn", "call.turn", "call.turn", "call.ended"]
    assert len({e["event_id"] for e in api.accepted}) == 5
    # The first answer asked for a second's patience, and got it.
    (first, _), (second, _) = api.seen[:2]
    assert second - first >= 0.9


def test_a_refused_event_is_not_retried():
    api = FlakyEventsApi([(400, {})])
    failed = report_a_call(api, "call-delivery-2", turns=0, wait_s=10)
    assert failed == 1
    assert [status for _, status in api.seen] == [400, 202]
    assert [e["type"] for e in api.accepted] == ["call.ended"]
