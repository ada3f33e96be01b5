"""One HTTP connection pool per agent process for everything it sends to the control plane.

Each call used to build two ``httpx.AsyncClient`` objects (PMS lookups, call events), and
each costs about 19 ms of CPU for its TLS context before the first byte is sent, plus a fresh
TLS handshake per call. The PMS client, the call-event reporter and the OAuth token fetch
now share one client per running event loop: LiveKit runs one job per process, each in its
own loop, while tests and the bench play many calls in one loop, or in one loop after
another. A client belongs to its loop (its connections do), so a new loop gets a new one.

Per-call objects never close the shared client. It is closed when its loop shuts down:
``asyncio.run``, pytest's loops and LiveKit's job process all cancel the tasks still
pending before they close the loop, and a small task waits here for exactly that.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl

import httpx

POOL_LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=10)
"""Enough for the calls one worker carries at once; keep-alive spares the handshakes."""
DEFAULT_TIMEOUT_S = 5.0
"""Only a fallback: each request passes its own timeout."""


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one TLS context, as httpx builds it (certifi, or ``SSL_CERT_FILE``).

    Building one parses the whole CA bundle: about 20 ms of CPU, which every
    ``httpx.AsyncClient`` and every ``wss://`` connection would spend again. The worker's
    forkserver builds it (``shared_image``) and each call's process inherits it. A context is
    safe to share between event loops and threads.
    """
    return httpx.create_ssl_context()


_clients: dict[asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, asyncio.Task[None]]] = {}


def control_plane_client() -> httpx.AsyncClient:
    """The shared client of the running event loop, created on first use.

    Requests name their absolute URL, their ``auth`` and their ``timeout``, so one client
    serves every caller whatever its credentials.

    Raises:
        RuntimeError: Called outside a running event loop.
    """
    loop = asyncio.get_running_loop()
    held = _clients.get(loop)
    if held is not None and not held[0].is_closed:
        return held[0]
    client = httpx.AsyncClient(timeout=DEFAULT_TIMEOUT_S, limits=POOL_LIMITS, verify=tls_context())
    closer = loop.create_task(_close_with_loop(loop, client), name="control-plane-http-close")
    _clients[loop] = (client, closer)
    return client


async def aclose_control_plane_client() -> None:
    """Close the running loop's shared client now (a worker's own shutdown, tests)."""
    held = _clients.pop(asyncio.get_running_loop(), None)
    if held is not None:
        client, closer = held
        closer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await closer
        await client.aclose()


async def _close_with_loop(loop: asyncio.AbstractEventLoop, client: httpx.AsyncClient) -> None:
    """Wait until the loop cancels this task at its shutdown, then close the client."""
    try:
        await asyncio.Event().wait()
    finally:
        if _clients.get(loop, (None,))[0] is client:
            del _clients[loop]
        await client.aclose()


class ControlPlaneHttp:
    """The client a per-call object sends with: the shared one, or its own for a transport.

    Tests hand in a transport (``httpx.MockTransport``, a wrapped real transport); such a
    caller gets a client of its own, which :meth:`aclose` closes. The shared client is left
    open for the next call.
    """

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._own = (
            httpx.AsyncClient(transport=transport, limits=POOL_LIMITS)
            if transport is not None
            else None
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The client to send the next request with."""
        return self._own if self._own is not None else control_plane_client()

    async def aclose(self) -> None:
        """Close this caller's own client, if it has one; never the shared one."""
        if self._own is not None:
            await self._own.aclose()
