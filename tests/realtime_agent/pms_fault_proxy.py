"""A small HTTP proxy between the agent and the local control plane that slows or breaks the
PMS routes of one hotel.

The local API answers in milliseconds and never fails, yet what a caller hears when a real
PMS is slow (a holding line) or down (an apology and the front desk) only shows when it does.
This proxy forwards every request to the API untouched except those matching a :class:`Fault`
(a hotel id and a PMS route), which it delays, answers with the API's error body (503, 429
with ``Retry-After``, 422 ``refused_by_pms``), or never answers, so the agent's own timeout
fires. Other hotels, other routes and the call's start (hotel config and info) pass through.

It is an aiohttp server on the test's own event loop, started and stopped by a fixture.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Literal

import aiohttp
from aiohttp import web

Route = Literal["availability", "reservations/lookup"]
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-encoding",
        "content-length",
        "host",
        "upgrade",
    }
)
_ERROR_CODES = {422: "refused_by_pms", 429: "rate_limited", 503: "unavailable"}
STALL_S = 30.0
"""A stalled answer comes after this long at most (the agent gave up well before)."""


@dataclass
class Fault:
    """What happens to ``route`` of ``hotel_id``: a delay, then an error status or the
    API's own answer; ``stall`` never answers (until the proxy stops)."""

    hotel_id: str
    route: Route = "availability"
    delay_s: float = 0.0
    status: int | None = None
    retry_after_s: int | None = None
    message: str = "the hotel system is not available"
    stall: bool = False

    def matches(self, path: str) -> bool:
        """True for this hotel's route, e.g. ``/v1/hotels/aurora-berlin/availability``."""
        return path == f"/v1/hotels/{self.hotel_id}/{self.route}"


@dataclass
class Seen:
    """One request through the proxy and what became of it."""

    method: str
    path: str
    status: int
    elapsed_s: float
    faulted: bool


@dataclass
class PmsFaultProxy:
    """Forwards to ``upstream``; ``faults`` may change while calls run."""

    upstream: str
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    host: str = "127.0.0.1"
    """Where to listen: loopback, or the host end of a worker rig's network namespace."""
    _runner: web.AppRunner | None = None
    _client: aiohttp.ClientSession | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> PmsFaultProxy:
        """Listen on a free local port; ``url`` is then the agent's API URL."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._client = aiohttp.ClientSession()
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://{self.host}:{port}"
        return self

    async def stop(self) -> None:
        """Release stalled requests, close the port and the upstream connections."""
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    def faulted(self) -> list[Seen]:
        """The requests a fault applied to."""
        return [s for s in self.seen if s.faulted]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        fault = next((f for f in self.faults if f.matches(request.path)), None)
        if fault is not None and fault.stall:
            await self._wait(STALL_S)
        elif fault is not None and fault.delay_s:
            await self._wait(fault.delay_s)
        if fault is not None and fault.status is not None:
            response = _error(fault)
        else:
            response = await self._forward(request)
        self.seen.append(
            Seen(
                request.method,
                request.path,
                response.status,
                time.perf_counter() - started,
                fault is not None,
            )
        )
        return response

    async def _wait(self, seconds: float) -> None:
        """Sleep, but let ``stop()`` end the wait of a stalled request."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._client.request(
            request.method,
            f"{self.upstream.rstrip('/')}{request.path_qs}",
            headers=headers,
            data=await request.read(),
        ) as upstream:
            body = await upstream.read()
            kept = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(status=upstream.status, body=body, headers=kept)


def _error(fault: Fault) -> web.Response:
    """The API's one error body, as ``hotelvoice.http_app`` writes it."""
    assert fault.status is not None
    code = _ERROR_CODES.get(fault.status, "error")
    body = {"error": {"code": code, "message": fault.message, "request_id": "fault-proxy"}}
    headers = {}
    if fault.retry_after_s is not None:
        headers["Retry-After"] = str(fault.retry_after_s)
    return web.json_response(body, status=fault.status, headers=headers)
