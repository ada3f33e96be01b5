"""Bearer tokens for the HTTP APIs: who is calling, in which role, for which hotels.

Roles: ``admin`` (everything), ``staff`` (read call records of their hotels), ``service``
(the realtime agent: PMS lookups and call events). API Gateway's JWT authorizer checks the
token first in AWS; the handlers verify it again so local mode enforces the same rules.
"""

from __future__ import annotations

import time
from enum import StrEnum
from functools import lru_cache

import jwt
from pydantic import BaseModel, Field

from hotelvoice.errors import Forbidden, Unauthorized
from hotelvoice.secrets import secret_value
from hotelvoice.settings import LOCAL_SIGNING_SECRET, get_settings

ALGORITHM = "HS256"
ALL_HOTELS = "*"


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
    token = authorization[7:].strip()
    settings = get_settings()
    try:
        claims = jwt.decode(
            token,
            signing_key(),
            algorithms=[ALGORITHM],
            audience=settings.auth_audience,
            issuer=settings.auth_issuer,
            options={"require": ["exp", "sub", "iss", "aud"]},
        )
        return Principal(subject=claims["sub"], role=Role(claims["role"]), hotels=claims["hotels"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise Unauthorized("invalid token") from exc
