"""The front desk's console in local mode, under ``/console/``.

The built files, their run-time configuration, and the development sign-in that only local
mode has. In AWS the same files come from S3 behind CloudFront with a ``config.json`` that names the
OpenID provider and offers no development sign-in: nothing here is deployed.
"""

from __future__ import annotations

import json
import mimetypes
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hotelvoice.auth import ALL_HOTELS, Role, mint_token
from hotelvoice.settings import get_settings
from local_mode.http_api import HttpResponse

CONSOLE_DIST = Path(__file__).resolve().parents[1] / "console" / "dist"
PREFIX = "/console"
DEV_TOKEN_TTL_S = 8 * 3600
"""A working day: the token lives in the page's memory and goes with a reload anyway."""

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
"""The headers CloudFront's response-headers policy sets in AWS (``template.yaml``)."""


class DevSignIn(BaseModel):
    """A role and a hotel to mint a local token for (``*``: every hotel, admins only)."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["staff", "admin"]
    hotel_id: str = Field(pattern=r"^([a-z0-9-]{1,64}|\*)$")


@dataclass
class ConsoleSite:
    """Answers ``/console/…`` requests; everything else goes on to the API routes."""

    dist: Path = CONSOLE_DIST
    hotels: list[str] = field(default_factory=list)
    """Offered in the development sign-in's hotel field."""
    oidc: dict[str, str] | None = None
    """``issuer``, ``client_id`` and ``scope`` of an OpenID provider, when one is configured."""
    dev_sign_in: bool = True
    media: list[str] = field(default_factory=list)
    """Origins the page may play recordings from (local mode: the moto server)."""

    def handle(self, method: str, path: str, body: bytes | None) -> HttpResponse | None:
        """The answer for a console path, or ``None`` when ``path`` is not the console's."""
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return None
        if path == PREFIX:
            return HttpResponse(301, {"location": PREFIX + "/"}, b"")
        relative = path[len(PREFIX) + 1 :]
        if relative == "dev-sign-in":
            return self._dev_sign_in(method, body)
        if method not in ("GET", "HEAD"):
            return _error(405, "method_not_allowed", "the console's files are read-only")
        if relative == "config.json":
            return _json(200, self.config(), cache="no-store")
        return self._file(relative)

    def config(self) -> dict[str, object]:
        """What ``console/src/config.ts`` reads at start."""
        return {
            "api_base": "",
            "oidc": self.oidc,
            "dev_sign_in": self.dev_sign_in,
            "hotels": self.hotels,
            "role_claim": get_settings().auth_role_claim,
            "hotels_claim": get_settings().auth_hotels_claim,
        }

    def _dev_sign_in(self, method: str, body: bytes | None) -> HttpResponse:
        if not self.dev_sign_in:
            return _error(404, "route_not_found", "no such route")
        if method != "POST":
            return _error(405, "method_not_allowed", "POST a role and a hotel id")
        try:
            request = DevSignIn.model_validate_json(body or b"")
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"]) or "body"
            return _error(400, "invalid_request", f"{where}: {problem['msg']}")
        if request.hotel_id == ALL_HOTELS and request.role != "admin":
            return _error(400, "invalid_request", "only an admin may sign in for every hotel")
        token = mint_token(
            f"local-{request.role}", Role(request.role), [request.hotel_id], ttl_s=DEV_TOKEN_TTL_S
        )
        answer = {"access_token": token, "token_type": "Bearer", "expires_in": DEV_TOKEN_TTL_S}
        return _json(200, answer, cache="no-store")

    def _file(self, relative: str) -> HttpResponse:
        root = self.dist.resolve()
        if not (root / "index.html").is_file():
            return _error(503, "console_not_built", "the console is not built: run `make console`")
        target = (root / relative).resolve() if relative else root / "index.html"
        if not target.is_relative_to(root):
            return _error(404, "not_found", "no such file")
        if not target.is_file():
            if "." in relative.rsplit("/", 1)[-1]:
                return _error(404, "not_found", "no such file")
            target = root / "index.html"  # a deep link: the page routes it
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        cache = "public, max-age=31536000, immutable" if "/assets/" in str(target) else "no-cache"
        headers = {"content-type": kind, "cache-control": cache, **SECURITY_HEADERS}
        if target.suffix == ".html":
            headers["content-security-policy"] = self._policy()
        return HttpResponse(200, headers, target.read_bytes())

    def _policy(self) -> str:
        """The page's CSP: the provider by its origin, as a path would match only itself."""
        provider = ""
        if self.oidc:
            issuer = urlsplit(self.oidc["issuer"])
            provider = f" {issuer.scheme}://{issuer.netloc}"
        return (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"media-src 'self'{''.join(' ' + m for m in self.media)}; "
            f"connect-src 'self'{provider}; frame-ancestors 'none'; "
            f"base-uri 'self'; form-action 'self'{provider}; object-src 'none'"
        )


def _json(status: int, body: object, *, cache: str) -> HttpResponse:
    headers = {"content-type": "application/json", "cache-control": cache, **SECURITY_HEADERS}
    return HttpResponse(status, headers, json.dumps(body).encode())


def _error(status: int, code: str, message: str) -> HttpResponse:
    """The API's one error body, so the console shows console errors like API errors."""
    body = {"error": {"code": code, "message": message, "request_id": uuid.uuid4().hex}}
    return _json(status, body, cache="no-store")


def local_console(hotels: list[str], media: list[str] | None = None) -> ConsoleSite:
    """The console as ``hotelvoice api`` serves it.

    With an OpenID provider configured (``HOTELVOICE_AUTH_ISSUER``) it signs in there with
    PKCE and has no development sign-in, whose local tokens that API would refuse anyway.
    """
    settings = get_settings()
    if not settings.uses_identity_provider:
        return ConsoleSite(hotels=hotels, media=media or [])
    provider = {
        "issuer": settings.auth_issuer,
        "client_id": settings.console_client_id,
        "scope": "openid",
    }
    return ConsoleSite(hotels=hotels, oidc=provider, dev_sign_in=False, media=media or [])


def console_hint(site: ConsoleSite) -> str:
    """How to sign in, in one line for a terminal."""
    if site.dev_sign_in:
        hotel = site.hotels[0] if site.hotels else "your hotel id"
        return f"development sign-in: pick Staff and hotel {hotel}"
    return "sign in with your OpenID provider"
