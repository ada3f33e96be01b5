"""The OpenID provider's sign-in for people: the authorization code grant with PKCE.

As RFC 6749 §4.1 and RFC 7636 have it, for a public client (the console holds no secret):
``/authorize`` shows a sign-in form, sends the browser back to the registered redirect URI
with a one-time ``code``, and the token endpoint gives a token only to the holder of the
verifier whose S256 hash the authorization request carried. Codes last a minute and work
once. Users are registered with the claims their tokens carry.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

CODE_TTL_S = 60


@dataclass
class PublicClient:
    """A browser application: no secret, exact redirect URIs."""

    client_id: str
    redirect_uris: list[str]


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    subject: str
    issued_at: float = field(default_factory=time.monotonic)


def s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), unpadded."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class AuthorizationCodes:
    """Sign-in form, codes and their exchange; the peer signs the tokens."""

    def __init__(self) -> None:
        self.clients: dict[str, PublicClient] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self._grants: dict[str, _Grant] = {}
        self.exchanges: list[dict[str, str]] = []

    def sign_in_page(self, query: dict[str, str]) -> tuple[int, str]:
        """The form for ``GET /authorize``, or why the request is refused (no redirect then)."""
        problem = self._check_request(query)
        if problem:
            return 400, f"<p>{html.escape(problem)}</p>"
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        page = (
            "<!doctype html><html lang='en'><title>Sign in</title><main><h1>Sign in</h1>"
            f"<form method='post' action='/authorize'>{hidden}"
            "<label>Username <input name='username' autocomplete='username'></label>"
            "<button type='submit'>Continue</button></form></main></html>"
        )
        return 200, page

    def approve(self, form: dict[str, str]) -> tuple[int, str]:
        """``POST /authorize``: where to send the browser (a 302 location) or an error page."""
        problem = self._check_request(form)
        if problem:
            return 400, f"<p>{html.escape(problem)}</p>"
        back = form["redirect_uri"]
        if form.get("username") not in self.users:
            return 302, _with(back, error="access_denied", state=form.get("state", ""))
        code = secrets.token_urlsafe(24)
        self._grants[code] = _Grant(
            form["client_id"], back, form["code_challenge"], form["username"]
        )
        return 302, _with(back, code=code, state=form.get("state", ""))

    def exchange(self, form: dict[str, str]) -> tuple[int, dict[str, Any] | None]:
        """The token request: the user's claims if every check passes, else the error."""
        self.exchanges.append(form)
        grant = self._grants.pop(form.get("code", ""), None)  # one use, even a failed one
        if grant is None or time.monotonic() - grant.issued_at > CODE_TTL_S:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("client_id") != grant.client_id:
            return 400, {"error": "invalid_client"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if s256(form.get("code_verifier", "")) != grant.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        return 200, {"sub": grant.subject, **self.users[grant.subject]}

    def _check_request(self, query: dict[str, str]) -> str | None:
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            return "unknown client"
        if query.get("redirect_uri") not in client.redirect_uris:
            return "redirect_uri is not registered for this client"
        if query.get("response_type") != "code":
            return "response_type must be code"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE with S256 is required"
        return None


def _with(uri: str, **params: str) -> str:
    joiner = "&" if "?" in uri else "?"
    return f"{uri}{joiner}{urlencode({k: v for k, v in params.items() if v})}"
