"""Apaleo access tokens: OAuth2 client credentials, kept until shortly before they expire.

A hotel connects us as a custom app in Apaleo; its secret holds the app's ``client_id`` and
``client_secret``. ``POST {identity}/connect/token`` with HTTP Basic ``client_id:client_secret``
and ``grant_type=client_credentials`` answers an access token and its lifetime (an hour
today). Fetching one costs a round trip while a guest waits, so tokens are kept per Lambda
instance, keyed by identity server, client and a hash of the secret (a rotated secret gets a
new token at once), and renewed a minute before they run out, or at once when Apaleo answers
401 to one of them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from hotelvoice.errors import Unavailable
from hotelvoice.pms.apaleo.payloads import TokenAnswer, parse
from hotelvoice.pms.vendor_http import VendorHttp

TOKEN_PATH = "/connect/token"  # noqa: S105 - a path, not a secret
REFRESH_MARGIN_S = 60.0
"""Renew this long before ``expires_in`` runs out: a token must outlive the call using it."""
MAX_TOKENS = 1000


@dataclass(frozen=True)
class ClientCredentials:
    """The hotel's Apaleo app (its secret: ``{"client_id": …, "client_secret": …}``)."""

    client_id: str
    client_secret: str

    @classmethod
    def from_secret(cls, secret: Mapping[str, str]) -> ClientCredentials:
        """Read the hotel's secret; one without both keys cannot sign in."""
        client_id = str(secret.get("client_id") or "").strip()
        client_secret = str(secret.get("client_secret") or "").strip()
        if not client_id or not client_secret:
            raise Unavailable("the hotel's Apaleo secret needs client_id and client_secret")
        return cls(client_id, client_secret)

    def cache_key(self, identity_url: str) -> tuple[str, str, str]:
        """Who the token is for; the secret enters only as a hash."""
        digest = hashlib.sha256(self.client_secret.encode()).hexdigest()
        return identity_url, self.client_id, digest


class TokenCache:
    """Access tokens until ``REFRESH_MARGIN_S`` before they expire (per Lambda instance)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}

    def get(self, key: tuple[str, str, str]) -> str | None:
        """A token that is still good for a while, or None."""
        hit = self._tokens.get(key)
        if hit is None or self._clock() >= hit[1]:
            return None
        return hit[0]

    def put(self, key: tuple[str, str, str], token: str, expires_in_s: float) -> None:
        """Keep ``token`` until shortly before its lifetime runs out."""
        margin = min(REFRESH_MARGIN_S, expires_in_s / 10)
        if len(self._tokens) >= MAX_TOKENS:
            self._tokens.clear()
        self._tokens[key] = (token, self._clock() + expires_in_s - margin)

    def forget(self, key: tuple[str, str, str]) -> None:
        """Apaleo refused the token: the next call fetches a new one."""
        self._tokens.pop(key, None)

    def clear(self) -> None:
        """Forget every token (tests)."""
        self._tokens.clear()


tokens = TokenCache()
"""The tokens of every hotel served by this Lambda instance."""


async def fetch_token(
    http: VendorHttp, identity_url: str, credentials: ClientCredentials
) -> TokenAnswer:
    """One client-credentials grant (retried like a read: asking twice is harmless)."""
    response = await http.request(
        "POST",
        f"{identity_url}{TOKEN_PATH}",
        operation="token",
        idempotent=True,
        auth=httpx.BasicAuth(credentials.client_id, credentials.client_secret),
        data={"grant_type": "client_credentials"},
        headers={"Accept": "application/json"},
    )
    answer = parse(TokenAnswer, response)
    if answer.token_type.lower() != "bearer" or answer.expires_in <= 0:
        raise Unavailable("the hotel's Apaleo sign-in answered an unusable token")
    return answer


async def access_token(
    http: VendorHttp,
    identity_url: str,
    credentials: ClientCredentials,
    *,
    cache: TokenCache | None = None,
) -> str:
    """A good bearer token for the hotel's app: the cached one, else a new one."""
    cache = cache if cache is not None else tokens
    key = credentials.cache_key(identity_url)
    token = cache.get(key)
    if token is None:
        answer = await fetch_token(http, identity_url, credentials)
        cache.put(key, answer.access_token, answer.expires_in)
        token = answer.access_token
    return token
