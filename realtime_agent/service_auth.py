"""How the agent proves itself to the control plane: a service token that renews itself.

In AWS the token comes from the hotel group's identity provider by the OAuth 2.0
client-credentials grant (RFC 6749 §4.4), because API Gateway's JWT authorizer only trusts
that provider. In local mode the agent signs its own token with the shared HS256 key. Either
way the token is renewed shortly before it expires and once more after a 401, so a worker that
runs for weeks never starts failing calls when its first token runs out.

Rate limits are per principal (the token's subject). A local token names its own worker
(``realtime-agent/<host>-<pid>``), so each worker has a budget of its own; in AWS every
worker is the same OAuth client, and the template scales that one budget with the fleet
(``AgentFleetMaxWorkers``, see docs/auth.md).
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Generator

import httpx

from hotelvoice.auth import Role, mint_token
from hotelvoice.errors import Unavailable
from hotelvoice.secrets import secret_value
from hotelvoice.settings import Settings, get_settings
from realtime_agent.http_client import control_plane_client

AGENT_SUBJECT = "realtime-agent"
RENEW_BEFORE_S = 60
LOCAL_TOKEN_TTL_S = 3600


class _RenewingBearer(httpx.Auth, ABC):
    """Adds ``Authorization: Bearer``; renews near expiry and retries once after a 401."""

    def __init__(self) -> None:
        self._token = ""
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    @abstractmethod
    async def _fetch(self) -> tuple[str, float]:
        """A fresh token and its lifetime in seconds."""

    async def token(self, *, renew: bool = False) -> str:
        """The current token, fetched again when close to expiry or when ``renew``."""
        async with self._lock:
            if renew or time.monotonic() >= self._expires_at - RENEW_BEFORE_S:
                self._token, lifetime = await self._fetch()
                self._expires_at = time.monotonic() + lifetime
            return self._token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers["authorization"] = f"Bearer {await self.token()}"
        response = yield request
        if response.status_code == 401:  # revoked or rotated early: one fresh try
            request.headers["authorization"] = f"Bearer {await self.token(renew=True)}"
            yield request


def worker_subject() -> str:
    """This worker's principal: ``realtime-agent/<hostname>-<pid>``.

    A LiveKit worker runs each job in a process of its own, so the pid tells workers (and
    their job processes) on one host apart.
    """
    return f"{AGENT_SUBJECT}/{socket.gethostname()}-{os.getpid()}"


class LocalServiceToken(_RenewingBearer):
    """Signs its own service token with the shared HS256 key (local mode, tests).

    The subject defaults to :func:`worker_subject`, read when the token is signed: each
    worker process is a principal of its own, with a rate budget of its own.
    """

    def __init__(self, subject: str | None = None, ttl_s: int = LOCAL_TOKEN_TTL_S) -> None:
        super().__init__()
        self._subject = subject
        self._ttl_s = ttl_s

    @property
    def subject(self) -> str:
        """The ``sub`` claim the next token carries."""
        return self._subject or worker_subject()

    async def _fetch(self) -> tuple[str, float]:
        return mint_token(self.subject, Role.SERVICE, ["*"], ttl_s=self._ttl_s), self._ttl_s


class ClientCredentials(_RenewingBearer):
    """Fetches the service token from the provider's token endpoint."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str = "",
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self._token_url = token_url
        self._client = (client_id, client_secret)
        self._scope = scope
        self._timeout_s = timeout_s
        self._transport = transport

    async def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        try:
            if self._transport is None:  # the process's pool, as for the control plane
                response = await control_plane_client().post(
                    self._token_url, data=form, auth=self._client, timeout=self._timeout_s
                )
            else:
                async with httpx.AsyncClient(
                    timeout=self._timeout_s, transport=self._transport
                ) as http:
                    response = await http.post(self._token_url, data=form, auth=self._client)
        except httpx.HTTPError as exc:
            raise Unavailable("the identity provider did not answer") from exc
        if response.status_code != 200:
            raise Unavailable(f"the identity provider refused the agent ({response.status_code})")
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 300))


class StaticBearer(httpx.Auth):
    """A token handed over as is (short scripted runs, tests)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """Same header on every request; nothing to renew."""
        request.headers["authorization"] = f"Bearer {self.token}"
        yield request


Credentials = str | httpx.Auth
"""A fixed token, or an :class:`httpx.Auth` that renews one."""


def as_auth(credentials: Credentials) -> httpx.Auth:
    """Both clients accept either form."""
    return StaticBearer(credentials) if isinstance(credentials, str) else credentials


async def bearer_token(credentials: Credentials, *, renew: bool = False) -> str:
    """The token itself, for protocols where httpx cannot add it (the ASR WebSocket).

    Raises:
        TypeError: For an ``httpx.Auth`` that is none of ours (it has no token to give).
    """
    if isinstance(credentials, str):
        return credentials
    if isinstance(credentials, StaticBearer):
        return credentials.token
    if isinstance(credentials, _RenewingBearer):
        return await credentials.token(renew=renew)
    raise TypeError(f"cannot read a bearer token from {type(credentials).__name__}")


def service_auth(settings: Settings | None = None) -> httpx.Auth:
    """The agent's credentials as configured: provider in AWS, shared key locally."""
    settings = settings or get_settings()
    if not settings.auth_token_url:
        return LocalServiceToken()
    secret = secret_value(
        settings.auth_client_secret_name,
        override=settings.auth_client_secret,
        local_default="",
        what="the agent's OAuth client secret",
    )
    return ClientCredentials(
        settings.auth_token_url, settings.auth_client_id, secret, scope=settings.auth_scope
    )
