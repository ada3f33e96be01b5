"""Bearer tokens for the HTTP APIs: who is calling, in which role, for which hotels.

Roles: ``admin`` (everything), ``staff`` (read call records of their hotels), ``service``
(the realtime agent: PMS lookups and call events). API Gateway's JWT authorizer checks the
token first in AWS; the handlers verify it again so local mode enforces the same rules.

Two sources of tokens, never both at once (see ``docs/auth.md``):

* an OpenID provider (an issuer URL): RS256/ES256 tokens checked against its JWKS, the
  same keys API Gateway's authorizer uses;
* the shared HS256 key (local mode and tests): minted by ``hotelvoice token``.
"""

from __future__ import annotations

import json
import time
import urllib.request
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from hotelvoice.errors import Forbidden, Unauthorized, Unavailable
from hotelvoice.secrets import secret_value
from hotelvoice.settings import LOCAL_SIGNING_SECRET, Settings, get_settings

if TYPE_CHECKING:  # PyJWT (and cryptography) load with the first token, not with the module:
    import jwt  # a request without one is refused without them (``make bench``, cold starts)

ALGORITHM = "HS256"
PROVIDER_ALGORITHMS = ["RS256", "ES256", "PS256"]
"""Asymmetric only: a provider-mode API must never accept a token signed with a shared key."""
ALL_HOTELS = "*"
DISCOVERY_TIMEOUT_S = 3.0


class Role(StrEnum):
    """What a principal may do."""

    ADMIN = "admin"
    STAFF = "staff"
    SERVICE = "service"


class Principal(BaseModel):
    """The verified caller of an API request."""

    subject: str
    role: Role
    hotels: list[str] = Field(default_factory=list)

    def may_see_hotel(self, hotel_id: str) -> bool:
        """Staff see only their hotels; admin and service principals carry ``*``."""
        return ALL_HOTELS in self.hotels or hotel_id in self.hotels

    def require_hotel(self, hotel_id: str) -> None:
        """Refuse a hotel outside the token's scope."""
        if not self.may_see_hotel(hotel_id):
            raise Forbidden("this credential does not cover that hotel")


@lru_cache(maxsize=1)
def signing_key() -> str:
    """The HS256 key: a fixed local secret in local mode, Secrets Manager otherwise."""
    settings = get_settings()
    return secret_value(
        settings.auth_secret_name,
        override=settings.auth_signing_key,
        local_default=LOCAL_SIGNING_SECRET,
        what="the API token signing key",
    )


def mint_token(
    subject: str, role: Role, hotels: list[str], *, ttl_s: int = 3600, key: str | None = None
) -> str:
    """Issue a token (local mode, tests and the ``hotelvoice token`` command)."""
    import jwt

    settings = get_settings()
    now = int(time.time())
    claims = {
        "sub": subject,
        "role": role.value,
        "hotels": hotels,
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    return jwt.encode(claims, key or signing_key(), algorithm=ALGORITHM)


def verify_bearer(authorization: str | None) -> Principal:
    """Turn an ``Authorization`` header into a principal or raise :class:`Unauthorized`."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("missing bearer token")
    import jwt

    token = authorization[7:].strip()
    settings = get_settings()
    try:
        key, algorithms = _verification_key(token, settings)
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=settings.auth_audience,
            issuer=settings.auth_issuer,
            options={"require": ["exp", "sub", "iss", "aud"]},
        )
        return Principal(
            subject=claims["sub"],
            role=_role_of(claims.get(settings.auth_role_claim)),
            hotels=_hotels_of(claims.get(settings.auth_hotels_claim)),
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except jwt.PyJWKClientConnectionError as exc:
        raise Unavailable("the identity provider's keys could not be fetched") from exc
    except (
        jwt.InvalidTokenError,
        jwt.PyJWKClientError,
        jwt.PyJWKError,
        KeyError,
        ValueError,
        TypeError,  # PyJWT: a key of another type than the token's alg (an RSA kid on ES256)
    ) as exc:
        raise Unauthorized("invalid token") from exc


def _verification_key(token: str, settings: Settings) -> tuple[Any, list[str]]:
    if settings.uses_identity_provider:
        client = _jwks_client(
            settings.auth_jwks_url, settings.auth_issuer, settings.auth_jwks_cooldown_s
        )
        return client.get_signing_key_from_jwt(token).key, PROVIDER_ALGORITHMS
    return signing_key(), [ALGORITHM]


@lru_cache(maxsize=4)
def _jwks_client(jwks_url: str, issuer: str, cooldown_s: float) -> jwt.PyJWKClient:
    """One cached key set per provider; an unknown ``kid`` refetches it (key rotation)."""
    import jwt

    return jwt.PyJWKClient(
        jwks_url or discover_jwks_url(issuer),
        lifespan=300,
        timeout=DISCOVERY_TIMEOUT_S,
        cooldown_duration=cooldown_s,
    )


def discover_jwks_url(issuer: str) -> str:
    """The ``jwks_uri`` of an OpenID provider, as API Gateway's authorizer finds it."""
    import jwt

    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=DISCOVERY_TIMEOUT_S) as response:  # noqa: S310
            return str(json.load(response)["jwks_uri"])
    except (OSError, ValueError, KeyError) as exc:
        raise jwt.PyJWKClientConnectionError(f"OpenID discovery failed at {url}") from exc


def _role_of(claim: object) -> Role:
    """A role string, or the first known role in a list (Entra ID app roles)."""
    candidates = claim if isinstance(claim, list) else [claim]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate in {role.value for role in Role}:
            return Role(candidate)
    raise ValueError("token carries no known role")


def _hotels_of(claim: object) -> list[str]:
    if isinstance(claim, str):
        return claim.split()
    if isinstance(claim, list) and all(isinstance(h, str) for h in claim):
        return list(claim)
    if claim is None:
        return []
    raise ValueError("hotels claim must be a list of hotel ids")
