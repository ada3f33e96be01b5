"""A template-driven stand-in for API Gateway HTTP APIs (payload format 2.0).

Requests are matched against the template's ``HttpApi`` routes only, turned into real
API Gateway v2 events and given to the real handlers; the handlers' v2 responses are sent
back. A route that is not in the template answers 404 here as it would in AWS.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from local_mode.lambda_runtime import LocalFunction
from local_mode.resources import ACCOUNT_ID
from local_mode.template import HttpRoute

if TYPE_CHECKING:
    from local_mode.console_site import ConsoleSite

_TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class HttpResponse:
    """What the API answered."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class LocalHttpApi:
    """Routes requests to template functions; usable in process or behind a socket."""

    def __init__(
        self, routes: list[HttpRoute], functions: dict[str, LocalFunction], stage: str = "$default"
    ) -> None:
        self.routes = routes
        self.functions = functions
        self.stage = stage

    def request(
        self,
        method: str,
        target: str,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> HttpResponse:
        """Serve one request: ``target`` is the path with an optional query string."""
        split = urlsplit(target)
        for route in self.routes:
            params = route.match(method, split.path)
            if params is not None:
                event = build_event(
                    route, params, method, split.path, split.query, headers or {}, body, self.stage
                )
                return parse_response(self.functions[route.function].invoke(event))
        error = {
            "error": {
                "code": "route_not_found",
                "message": "no such route",
                "request_id": uuid.uuid4().hex,
            }
        }
        return HttpResponse(404, {"content-type": "application/json"}, json.dumps(error).encode())


def build_event(
    route: HttpRoute,
    params: dict[str, str],
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes | str | None,
    stage: str,
) -> dict[str, Any]:
    """An API Gateway HTTP API (v2) event as Lambda receives it."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw = body.encode() if isinstance(body, str) else (body or b"")
    content_type = lowered.get("content-type", "")
    is_text = not raw or (content_type.startswith(_TEXT_TYPES) and _is_utf8(raw))
    cookies = [c.strip() for c in lowered.pop("cookie", "").split(";") if c.strip()]
    query_params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        query_params[key] = f"{query_params[key]},{value}" if key in query_params else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route.route_key,
            "stage": stage,
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if cookies:
        event["cookies"] = cookies
    if query_params:
        event["queryStringParameters"] = query_params
    if params:
        event["pathParameters"] = params
    if raw:
        event["body"] = raw.decode() if is_text else base64.b64encode(raw).decode()
    return event


def _is_utf8(raw: bytes) -> bool:
    """API Gateway base64-encodes any body that is not valid UTF-8, whatever its type."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parse_response(result: Any) -> HttpResponse:
    """Interpret a v2 handler result as API Gateway does (a bare dict becomes JSON)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return HttpResponse(200, {"content-type": "application/json"}, json.dumps(result).encode())
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    headers = {k.lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers[key.lower()] = ", ".join(values)
    if result.get("cookies"):
        headers["set-cookie"] = "; ".join(result["cookies"])
    return HttpResponse(int(result["statusCode"]), headers, raw)


class LocalHttpServer:
    """:class:`LocalHttpApi` on a real socket, e.g. ``127.0.0.1:3000`` for ``make api``."""

    def __init__(
        self,
        api: LocalHttpApi,
        host: str = "127.0.0.1",
        port: int = 0,
        site: ConsoleSite | None = None,
    ) -> None:
        handler = type("Handler", (_RequestHandler,), {"api": api, "site": site})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:3000``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalHttpServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()


class _RequestHandler(BaseHTTPRequestHandler):
    api: LocalHttpApi
    site: ConsoleSite | None
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        path = urlsplit(self.path).path
        response = self.site.handle(self.command, path, body) if self.site else None
        if response is None:
            response = self.api.request(self.command, self.path, dict(self.headers.items()), body)
        self.send_response(response.status)
        for key, value in response.headers.items():
            if key not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the functions log what matters."""
