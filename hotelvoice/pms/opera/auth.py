"""OHIP access tokens: client credentials for a bearer token, kept until shortly before expiry.

``POST /oauth/v1/tokens`` with HTTP Basic (client id and secret), the app's ``x-app-key``,
``enterpriseId`` where the environment needs it, and a form body ``grant_type=
client_credentials&scope=…``. A token lasts about an hour; asking for one per request would
double every call's latency and count against OPERA's request rate, so tokens are cached per
gateway and credentials (a new Lambda instance, or a rotated secret, fetches its own).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from hotelvoice.errors import HotelVoiceError, RateLimited, Unavailable
from hotelvoice.pms.opera.secret import OperaSecret
from hotelvoice.pms.opera.wire import body, integer, text
from hotelvoice.pms.vendor_http import VendorHttp

TOKEN_PATH = "/oauth/v1/tokens"  # noqa: S105 - a URL path, not a secret
REFRESH_MARGIN_S = 120.0
"""Fetch a new token this long before the old one expires: a call never starts with a token
that dies mid-way."""
DEFAULT_LIFETIME_S = 3600


@dataclass(frozen=True)
class _Held:
    token: str
    good_until: float


class TokenCache:
    """Bearer tokens by gateway and credentials, each until ``REFRESH_MARGIN_S`` before expiry."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._held: dict[tuple[str, ...], _Held] = {}

    @staticmethod
    def key(base_url: str, secret: OperaSecret) -> tuple[str, ...]:
        """Who the token is for; the client secret only as a digest (a rotation changes it)."""
        digest = hashlib.sha256(secret.client_secret.encode()).hexdigest()[:16]
        return (base_url, secret.client_id, secret.app_key, secret.enterprise_id or "", digest)

    def get(self, key: tuple[str, ...]) -> str | None:
        """The token, while it is good."""
        held = self._held.get(key)
        if held is None or self._clock() >= held.good_until:
            return None
        return held.token

    def put(self, key: tuple[str, ...], token: str, expires_in_s: int) -> None:
        """Keep ``token`` until shortly before it expires (half its life for short ones)."""
        margin = min(REFRESH_MARGIN_S, expires_in_s / 2)
        self._held[key] = _Held(token, self._clock() + expires_in_s - margin)

    def forget(self, key: tuple[str, ...]) -> None:
        """OPERA refused the token (revoked, rotated): the next call fetches a new one."""
        self._held.pop(key, None)


tokens = TokenCache()
"""Process-wide: connectors are built per request, tokens outlive them."""


async def fetch_token(http: VendorHttp, secret: OperaSecret) -> tuple[str, int]:
    """A new bearer token and its lifetime in seconds.

    Any refusal of the token call is the hotel's credentials or set-up, never the caller's
    request: it is ``Unavailable`` (or ``RateLimited``), so the dialogue offers the front desk.
    """
    headers = {"x-app-key": secret.app_key, "accept": "application/json"}
    if secret.enterprise_id:
        headers["enterpriseId"] = secret.enterprise_id
    try:
        response = await http.request(
            "POST",
            TOKEN_PATH,
            operation="token",
            idempotent=True,
            data={"grant_type": "client_credentials", "scope": secret.scope},
            auth=httpx.BasicAuth(secret.client_id, secret.client_secret),
            headers=headers,
        )
    except (Unavailable, RateLimited):
        raise
    except HotelVoiceError as exc:
        raise Unavailable("the hotel's system refused our OPERA credentials") from exc
    payload = body(response)
    token = text(payload.get("access_token"))
    if token is None:
        raise Unavailable("the hotel's system gave no access token")
    lifetime = integer(payload.get("expires_in"))
    return token, lifetime if lifetime and lifetime > 0 else DEFAULT_LIFETIME_S
