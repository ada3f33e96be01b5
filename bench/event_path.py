"""The agent's event path: HTTP requests, new HTTP clients and CPU per call.

The demo's call (a booking, then a reservation check) is played through the production
receptionist (``run_scripted_call``) against the local control plane, once with the agent as
built (the outbox's batches, the process's one shared client) and once as it was before: one
event per request and a fresh client per call for PMS and events (``max_batch=1``, no
linger, a transport of its own each). Requests are counted on the wire (every
``httpx.AsyncHTTPTransport`` request of the process), clients as they are constructed.

CPU is the process's CPU time, which here includes the local API's handlers and consumer
(they run in this process), and the agent's alone: the CPU time of the event loop's
thread, where the agent, its clients and their TLS setup run. The machine is shared, so
only ratios within one run mean anything; nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from pydantic import BaseModel

from bench.stats import Machine, machine
from hotelvoice.settings import get_settings

BATCHED = "batched"
BASELINE = "one_per_request"
"""Before the outbox: each event its own request, a new client per call for PMS and events."""
KINDS = ("events", "pms", "other")


class PathRun(BaseModel):
    """One way of reporting, averaged over its measured calls."""

    name: str
    calls: int
    requests_per_call: dict[str, float]
    """HTTP requests on the wire per call, by kind: events, PMS, other."""
    events_per_call: float
    """Call events the API was sent per call (the same for both ways: only the packing differs)."""
    clients_per_call: float
    """``httpx.AsyncClient`` objects constructed per call (the shared one is made once per
    process, in the warm-up call, and not counted)."""
    process_cpu_s_per_call: float
    agent_cpu_s_per_call: float
    failed_events: int


class EventPathResult(BaseModel):
    """``out/bench/events.json``."""

    machine: Machine
    script: list[str]
    runs: dict[str, PathRun]
    ratios: dict[str, float]
    """Baseline over batched, per measure: how many times more the old way costs. Clients
    have none: the batched way constructs none per call (see ``clients_per_call``)."""


class WireCounter:
    """Counts requests on the wire by kind, the events in them and clients constructed."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.events = 0
        self.clients = 0

    @contextlib.contextmanager
    def counting(self) -> Iterator[WireCounter]:
        """Patch ``httpx`` for the duration (this process only; put back afterwards)."""
        send = httpx.AsyncHTTPTransport.handle_async_request
        build = httpx.AsyncClient.__init__
        counter = self

        async def counted_send(
            transport: httpx.AsyncHTTPTransport, request: httpx.Request
        ) -> httpx.Response:
            counter.note(request)
            return await send(transport, request)

        def counted_build(client: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
            counter.clients += 1
            build(client, *args, **kwargs)

        httpx.AsyncHTTPTransport.handle_async_request = counted_send  # type: ignore[method-assign]
        httpx.AsyncClient.__init__ = counted_build  # type: ignore[method-assign]
        try:
            yield self
        finally:
            httpx.AsyncHTTPTransport.handle_async_request = send  # type: ignore[method-assign]
            httpx.AsyncClient.__init__ = build  # type: ignore[method-assign]

    def note(self, request: httpx.Request) -> None:
        """One request: its kind, and for events how many it carries."""
        kind = kind_of(request.url.path)
        self.requests[kind] += 1
        if kind == "events":
            body = json.loads(request.content)
            self.events += len(body["events"]) if "events" in body else 1


def kind_of(path: str) -> str:
    """``events`` (``/v1/calls/{id}/events…``), ``pms`` (hotels, dialled numbers) or ``other``."""
    if path.startswith("/v1/calls/") and "/events" in path:
        return "events"
    if path.startswith(("/v1/hotels/", "/v1/dialled-numbers/")):
        return "pms"
    return "other"


def summarise(
    name: str, calls: int, counter: WireCounter, cpu: tuple[float, float], failed: int
) -> PathRun:
    """Per-call averages of what ``counter`` and the CPU clocks saw over ``calls`` calls."""
    process_s, agent_s = cpu
    return PathRun(
        name=name,
        calls=calls,
        requests_per_call={k: round(counter.requests[k] / calls, 2) for k in KINDS},
        events_per_call=round(counter.events / calls, 2),
        clients_per_call=round(counter.clients / calls, 2),
        process_cpu_s_per_call=round(process_s / calls, 4),
        agent_cpu_s_per_call=round(agent_s / calls, 4),
        failed_events=failed,
    )


def ratios(batched: PathRun, baseline: PathRun) -> dict[str, float]:
    """Baseline ÷ batched for requests (events, all) and CPU."""

    def over(a: float, b: float) -> float:
        return round(a / b, 2) if b else 0.0

    return {
        "event_requests": over(
            baseline.requests_per_call["events"], batched.requests_per_call["events"]
        ),
        "all_requests": over(
            sum(baseline.requests_per_call.values()), sum(batched.requests_per_call.values())
        ),
        "process_cpu": over(baseline.process_cpu_s_per_call, batched.process_cpu_s_per_call),
        "agent_cpu": over(baseline.agent_cpu_s_per_call, batched.agent_cpu_s_per_call),
    }


async def run_event_path(calls: int = 5) -> EventPathResult:
    """Play the demo call ``calls`` times each way (alternating), after one warm-up each.

    The warm-up cancels the demo booking; every measured call then hears "already
    cancelled", either way, so the two ways still play the same dialogue.
    """
    from local_mode.control_plane import LocalControlPlane  # heavy
    from local_mode.demo import DEMO_CALLER_NUMBER, LOCAL_API_TIMEOUT_S, demo_script

    host = machine()
    saved = dict(os.environ)
    plane = LocalControlPlane().start()
    try:
        os.environ["HOTELVOICE_API_URL"] = plane.serve()
        os.environ["HOTELVOICE_API_TIMEOUT_S"] = str(LOCAL_API_TIMEOUT_S)
        get_settings.cache_clear()
        script = demo_script(plane.today).lines
        play = _player(script, plane.today, DEMO_CALLER_NUMBER)
        for way in (BATCHED, BASELINE):  # imports, cold paths, the shared client
            await play(way, WireCounter())
        counters = {BATCHED: WireCounter(), BASELINE: WireCounter()}
        cpu = {way: [0.0, 0.0] for way in counters}
        failed = dict.fromkeys(counters, 0)
        for _ in range(calls):
            for way, counter in counters.items():
                process, agent = time.process_time(), time.thread_time()
                failed[way] += await play(way, counter)
                cpu[way][0] += time.process_time() - process
                cpu[way][1] += time.thread_time() - agent
        runs = {
            way: summarise(way, calls, counters[way], (cpu[way][0], cpu[way][1]), failed[way])
            for way in counters
        }
    finally:
        plane.stop()
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
    return EventPathResult(
        machine=host, script=script, runs=runs, ratios=ratios(runs[BATCHED], runs[BASELINE])
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield


def _player(script: list[str], today: Any, caller: str) -> Callable[[str, WireCounter], Any]:
    """A coroutine function that plays one call one way, counted; returns failed events."""
    from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
    from realtime_agent.call_events import CallEventReporter
    from realtime_agent.pms_client import PmsClient
    from realtime_agent.scripted_call import run_scripted_call
    from realtime_agent.service_auth import LocalServiceToken

    async def play(way: str, counter: WireCounter) -> int:
        settings = get_settings()
        credentials = LocalServiceToken(f"bench-agent-{way}")
        reporters: list[CallEventReporter] = []

        def fresh_pms() -> PmsClient:
            return PmsClient(
                settings.api_url,
                credentials,
                timeout_s=settings.api_timeout_s,
                transport=httpx.AsyncHTTPTransport(),
            )

        def one_by_one(call_id: str) -> CallEventReporter:
            reporters.append(
                CallEventReporter(
                    settings.api_url,
                    credentials,
                    call_id,
                    timeout_s=settings.api_timeout_s,
                    transport=httpx.AsyncHTTPTransport(),
                    max_batch=1,
                    linger_s=0,
                )
            )
            return reporters[-1]

        def batched(call_id: str) -> CallEventReporter:
            reporters.append(
                CallEventReporter(
                    settings.api_url, credentials, call_id, timeout_s=settings.api_timeout_s
                )
            )
            return reporters[-1]

        baseline = way == BASELINE
        with counter.counting(), _quiet():  # the functions' metrics and the agent's logs
            await run_scripted_call(
                script,
                settings=settings,
                credentials=credentials,
                today=today,
                hotel_id=DEMO_HOTEL_ID,
                caller_number=caller,
                pms_client=fresh_pms if baseline else None,
                event_reporter=one_by_one if baseline else batched,
            )
        return sum(r.failed for r in reporters)

    return play
