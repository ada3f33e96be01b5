"""A local OpenID provider: discovery, JWKS, client credentials, and people's sign-in.

People sign in with the authorization code grant and PKCE (``oidc_authorization_code``),
as the console does; services use client credentials, as the agent does.

It stands in for the hotel group's identity provider (Cognito, Entra ID, Keycloak…) so that
tests drive our real verification path (discovery → ``jwt.PyJWKClient`` → RS256) and the
agent's real token fetching, exactly as API Gateway's JWT authorizer and the ECS task would.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.peers.oidc_authorization_code import AuthorizationCodes, PublicClient


@dataclass
class ServiceClient:
    """An OAuth client allowed the client-credentials grant, and the claims its tokens get."""

    client_id: str
    client_secret: str
    claims: dict[str, Any] = field(default_factory=dict)


class OidcProviderPeer:
    """Serve on ``127.0.0.1``; use as a context manager. ``issuer`` is the base URL."""

    def __init__(self, *, audience: str = "hotelvoice-api", token_ttl_s: int = 300) -> None:
        self.audience = audience
        self.token_ttl_s = token_ttl_s
        self.kid = "key-1"
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.clients: dict[str, ServiceClient] = {}
        self.token_requests: list[dict[str, str]] = []
        self.jwks_fetches = 0
        self.people = AuthorizationCodes()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        """``iss`` of every token, and where discovery lives."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_url(self) -> str:
        """The OAuth 2.0 token endpoint."""
        return f"{self.issuer}/oauth2/token"

    def __enter__(self) -> OidcProviderPeer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_client(self, client_id: str, client_secret: str, **claims: Any) -> None:
        """Register a client-credentials client whose tokens carry ``claims``."""
        self.clients[client_id] = ServiceClient(client_id, client_secret, claims)

    def add_public_client(self, client_id: str, redirect_uris: list[str]) -> None:
        """Register a browser application (authorization code + PKCE, no secret)."""
        self.people.clients[client_id] = PublicClient(client_id, redirect_uris)

    def add_user(self, username: str, **claims: Any) -> None:
        """Someone who may sign in; their tokens carry ``claims`` (role, hotels …)."""
        self.people.users[username] = claims

    def rotate_key(self) -> None:
        """A new signing key under a new ``kid``, as providers rotate."""
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"key-{uuid.uuid4().hex[:6]}"

    def issue(self, subject: str, *, ttl_s: int | None = None, **claims: Any) -> str:
        """A token as the provider signs it; ``claims`` may override any standard claim."""
        now = int(time.time())
        body = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "exp": now + (self.token_ttl_s if ttl_s is None else ttl_s),
            "jti": uuid.uuid4().hex,
        } | claims
        return jwt.encode(body, self._key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        """The public key set."""
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [public | {"kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def _token_response(self, form: dict[str, str], authorization: str) -> tuple[int, dict]:
        self.token_requests.append(form)
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.lower().startswith("basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if form.get("grant_type") == "authorization_code":
            status, claims = self.people.exchange(form)
            if status != 200 or claims is None:
                return status, claims or {}
            return 200, self._bearer(self.issue(claims.pop("sub"), **claims))
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        client = self.clients.get(client_id)
        if client is None or client.client_secret != secret:
            return 401, {"error": "invalid_client"}
        return 200, self._bearer(self.issue(client_id, **client.claims))

    def _bearer(self, token: str) -> dict[str, Any]:
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl_s}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Quiet: tests read recorded requests instead."""

            def _send(self, status: int, body: dict[str, Any]) -> None:
                self._reply(status, json.dumps(body).encode(), "application/json")

            def _reply(
                self, status: int, data: bytes, kind: str, location: str | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                # A browser application reads discovery and trades its code from its own
                # origin, as real providers allow for registered single-page apps.
                self.send_header("access-control-allow-origin", "*")
                if location:
                    self.send_header("location", location)
                self.end_headers()
                self.wfile.write(data)

            def _page(self, status: int, text: str) -> None:
                if status == 302:
                    self._reply(302, b"", "text/plain", location=text)
                else:
                    self._reply(status, text.encode(), "text/html; charset=utf-8")

            def do_GET(self) -> None:
                split = urlsplit(self.path)
                if split.path == "/authorize":
                    self._page(*peer.people.sign_in_page(dict(parse_qsl(split.query))))
                elif self.path == "/.well-known/openid-configuration":
                    self._send(
                        200,
                        {
                            "issuer": peer.issuer,
                            "jwks_uri": f"{peer.issuer}/jwks.json",
                            "token_endpoint": peer.token_url,
                            "authorization_endpoint": f"{peer.issuer}/authorize",
                            "response_types_supported": ["code"],
                            "code_challenge_methods_supported": ["S256"],
                            "grant_types_supported": ["client_credentials", "authorization_code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        },
                    )
                elif self.path == "/jwks.json":
                    peer.jwks_fetches += 1
                    self._send(200, peer.jwks())
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(errors="replace")))
                if self.path == "/authorize":
                    self._page(*peer.people.approve(form))
                    return
                if self.path != "/oauth2/token":
                    self._send(404, {"error": "not_found"})
                    return
                status, body = peer._token_response(form, self.headers.get("authorization", ""))
                self._send(status, body)

        return Handler
