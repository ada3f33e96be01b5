"""A fault-injecting, recording HTTP proxy in front of a Prism mock.

Prism can only answer with statuses the vendor's description lists (Apaleo and OPERA list no
429) and never stalls or drops a connection, yet those are what a connector's retry and timeout
logic is for. This proxy answers the next N requests with a chosen fault, forwards the rest,
and records every request so a test can assert what the connector sent.

Every request is still forwarded to Prism, even one answered with a fault (whose answer then
replaces Prism's): so a connector's retries are validated against the spec too, and no fault
hides a request the vendor would refuse.

It runs aiohttp on its own event loop in a daemon thread, so sync and async clients alike can
call it from the test's thread; ``stop()`` closes the port and cancels stalled handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from pms_contract.violations import Violation, find_violations

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


@dataclass(frozen=True)
class Forward:
    """Pass the request to Prism and its answer back (what happens when no fault is queued)."""


@dataclass(frozen=True)
class Respond:
    """Answer with ``status`` instead of Prism's answer (after Prism has validated the request).

    ``body`` None means the vendor's usual error body (``specs.VENDORS``; Apaleo's is empty).
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass(frozen=True)
class Delay:
    """Wait ``seconds`` before forwarding: a slow vendor, for the connector's timeouts."""

    seconds: float


@dataclass(frozen=True)
class Reset:
    """Drop the connection with a TCP RST and no answer."""


Fault = Forward | Respond | Delay | Reset


def status(
    code: int,
    *,
    retry_after: int | str | None = None,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Respond:
    """A ``code`` answer (e.g. 500/502/503), optionally with ``Retry-After`` and a JSON body."""
    pairs = dict(headers or {})
    if retry_after is not None:
        pairs["Retry-After"] = str(retry_after)
    body = None
    if json_body is not None:
        pairs.setdefault("Content-Type", "application/json")
        body = json.dumps(json_body).encode()
    return Respond(code, tuple(pairs.items()), body)


def rate_limited(retry_after: int | str = 1, *, json_body: Any = None) -> Respond:
    """429 with ``Retry-After`` (seconds, or an HTTP date as a string)."""
    return status(429, retry_after=retry_after, json_body=json_body)


def delay(seconds: float) -> Delay:
    """A slow answer: ``seconds`` before the request goes on to Prism."""
    return Delay(seconds)


def reset() -> Reset:
    """A connection reset instead of an answer."""
    return Reset()


def forward() -> Forward:
    """Normal forwarding (useful between faults: ``inject(forward())``)."""
    return Forward()


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the proxy received it, and what it did with it.

    ``headers`` has lower-cased names (the last value wins for a repeated name; ``raw_headers``
    keeps them all). ``status`` is what the client got: None after a reset.
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    raw_headers: tuple[tuple[str, str], ...]
    body: bytes
    fault: Fault
    status: int | None
    violations: tuple[Violation, ...] = ()

    def json(self) -> Any:
        """The body parsed as JSON (Mews sends its tokens here)."""
        return json.loads(self.body)


@dataclass
class _Planned:
    fault: Fault
    remaining: int
    path_contains: str | None


@dataclass
class _Upstream:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class FaultProxy:
    """Forwards to ``upstream`` (a Prism URL) on a free loopback port; ``url`` once started.

    ``on_violations`` gets what Prism flagged in each exchange (called in the proxy's thread).
    """

    def __init__(
        self,
        upstream: str,
        *,
        error_body: Mapping[str, object] | None = None,
        on_violations: Callable[[list[Violation]], None] | None = None,
        name: str = "fault-proxy",
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self._error_body = dict(error_body) if error_body is not None else None
        self._on_violations = on_violations
        self._name = name
        self._lock = threading.Lock()
        self._plan: list[_Planned] = []
        self._requests: list[RecordedRequest] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    # -- what tests call -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL to give the connector under test (no trailing slash)."""
        if self._thread is None:
            raise RuntimeError(f"{self._name} is not running")
        return f"http://127.0.0.1:{self.port}"

    def inject(self, fault: Fault, times: int = 1, *, path_contains: str | None = None) -> None:
        """Answer the next ``times`` requests (path containing ``path_contains``) with ``fault``.

        Queued faults apply in order; requests no queued fault matches are forwarded.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._plan.append(_Planned(fault, times, path_contains))

    def clear_faults(self) -> None:
        """Forget queued faults: forward everything from now on."""
        with self._lock:
            self._plan.clear()

    @property
    def pending_faults(self) -> int:
        """Injected answers not yet used (a test may assert the connector used them all)."""
        with self._lock:
            return sum(p.remaining for p in self._plan)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Requests received since the last ``clear_requests()``, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget recorded requests."""
        with self._lock:
            self._requests.clear()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Serve on a free loopback port in a background thread."""
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(ready, failure), name=self._name, daemon=True
        )
        self._thread.start()
        if not ready.wait(10) or failure:
            self.stop()
            raise RuntimeError(f"{self._name} did not start") from (failure or [None])[0]
        return self

    def stop(self) -> None:
        """Close the port, the upstream session and any stalled handler. Safe to call twice."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._runner is not None and loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = None
        self._loop = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._setup())
        except BaseException as exc:  # reported to start()
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        leftovers = asyncio.all_tasks(loop)  # handlers still sleeping in a Delay
        for task in leftovers:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        loop.close()

    async def _setup(self) -> None:
        self._session = aiohttp.ClientSession(
            auto_decompress=False, timeout=aiohttp.ClientTimeout(total=60)
        )
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        self._runner = runner

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- the proxy itself ------------------------------------------------------------------

    def _next_fault(self, path: str) -> Fault:
        with self._lock:
            for planned in self._plan:
                if planned.path_contains is None or planned.path_contains in path:
                    planned.remaining -= 1
                    if planned.remaining == 0:
                        self._plan.remove(planned)
                    return planned.fault
        return Forward()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        fault = self._next_fault(request.path)
        if isinstance(fault, Delay):
            await asyncio.sleep(fault.seconds)
        upstream = await self._forward(request, body)
        found = find_violations(
            request.method,
            request.path_qs,
            upstream.status,
            _as_map(upstream.headers),
            body=upstream.body,
        )
        if found and self._on_violations is not None:
            self._on_violations(found)
        answer = self._answer(fault, upstream)
        self._record(request, body, fault, None if answer is None else answer.status, found)
        if answer is None:  # Reset
            _reset_connection(request)
            raise asyncio.CancelledError  # aiohttp drops the handler without writing
        return answer

    async def _forward(self, request: web.Request, body: bytes) -> _Upstream:
        assert self._session is not None
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP]
        target = URL(self.upstream + request.raw_path, encoded=True)
        try:
            async with self._session.request(
                request.method,
                target,
                headers=headers,
                data=body or None,
                allow_redirects=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            ) as reply:
                payload = await reply.read()
                kept = [(k, v) for k, v in reply.headers.items() if k.lower() not in _HOP_BY_HOP]
                return _Upstream(reply.status, kept, payload)
        except aiohttp.ClientError as exc:
            message = f"fault proxy could not reach Prism at {self.upstream}: {exc!r}"
            return _Upstream(502, [("Content-Type", "text/plain")], message.encode())

    def _answer(self, fault: Fault, upstream: _Upstream) -> web.Response | None:
        if isinstance(fault, Reset):
            return None
        if isinstance(fault, Respond):
            headers = list(fault.headers)
            body = fault.body
            if body is None and self._error_body is not None:
                shaped = dict(self._error_body)
                if "status" in shaped:  # OPERA's error body repeats the status
                    shaped["status"] = fault.status
                body = json.dumps(shaped).encode()
                headers.append(("Content-Type", "application/json"))
            return web.Response(status=fault.status, headers=headers, body=body or b"")
        return web.Response(status=upstream.status, headers=upstream.headers, body=upstream.body)

    def _record(
        self,
        request: web.Request,
        body: bytes,
        fault: Fault,
        status_sent: int | None,
        found: list[Violation],
    ) -> None:
        raw = tuple((k, v) for k, v in request.headers.items())
        recorded = RecordedRequest(
            method=request.method,
            path=request.path,
            query=request.query_string,
            headers={k.lower(): v for k, v in raw},
            raw_headers=raw,
            body=body,
            fault=fault,
            status=status_sent,
            violations=tuple(found),
        )
        with self._lock:
            self._requests.append(recorded)


def _as_map(headers: list[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers}


def _reset_connection(request: web.Request) -> None:
    """Close with SO_LINGER 0, so the client reads ECONNRESET rather than a clean EOF."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
