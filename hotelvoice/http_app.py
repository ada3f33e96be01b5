"""The shared FastAPI app factory: one error body, request ids, size limits, auth.

Every HTTP Lambda (behind Mangum) and the ``gpu_asr`` proxy build their app here, so an
error looks the same everywhere: ``{"error": {"code", "message", "request_id"}}``, 4xx for
caller mistakes, never a stack trace or an internal name.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hotelvoice.auth import Principal, Role, verify_bearer
from hotelvoice.contracts.hotels import HOTEL_ID_PATTERN
from hotelvoice.errors import ErrorBody, ErrorDetail, Forbidden, HotelVoiceError, RateLimited
from hotelvoice.rate_limit import enforce_rate_limit
from hotelvoice.settings import get_settings

log = logging.getLogger("hotelvoice.http")

_STATUS_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def request_id_of(request: Request) -> str:
    """API Gateway's request id when behind Mangum, else the caller's or a fresh one."""
    rid = getattr(request.state, "request_id", None)
    if rid:
        return rid
    event = request.scope.get("aws.event") or {}
    rid = (event.get("requestContext") or {}).get("requestId") or request.headers.get(
        "x-request-id"
    )
    rid = rid or uuid.uuid4().hex
    request.state.request_id = rid
    return rid


def error_response(request: Request, status: int, code: str, message: str) -> JSONResponse:
    """Build the one error body."""
    body = ErrorBody(
        error=ErrorDetail(code=code, message=message, request_id=request_id_of(request))
    )
    return JSONResponse(status_code=status, content=body.model_dump())


class BodySizeLimit:
    """Refuse bodies over the limit before reading them (Content-Length) or while streaming.

    A body without a Content-Length (chunked, as a uvicorn-served app such as the ASR proxy
    receives them) is read here up to the limit and handed on whole: the app would otherwise
    read it into memory without any bound. API Gateway caps the Lambdas' bodies as well.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry: check the declared length, or count a streamed body, then pass on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            if length.isdigit() and int(length) > self.max_bytes:
                await _too_large(scope, self.max_bytes)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see it
                await self.app(scope, _replay(message, receive), send)
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await _too_large(scope, self.max_bytes)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": bytes(body), "more_body": False}
        await self.app(scope, _replay(whole, receive), send)


def _replay(first: Message, receive: Receive) -> Receive:
    """``first``, then whatever ``receive`` brings (a disconnect)."""
    pending: list[Message] = [first]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


def _too_large(scope: Scope, max_bytes: int) -> JSONResponse:
    request = Request(scope)
    return error_response(request, 413, "payload_too_large", f"body exceeds {max_bytes} bytes")


def create_app(
    *,
    title: str,
    routers: Iterable[APIRouter],
    version: str = "1.0.0",
    max_body_bytes: int | None = None,
) -> FastAPI:
    """Build an app with our error handling; routers carry the routes."""
    app = FastAPI(
        title=title, version=version, openapi_url="/openapi.json", docs_url=None, redoc_url=None
    )
    for router in routers:
        app.include_router(router)

    @app.exception_handler(HotelVoiceError)
    async def _domain_error(request: Request, exc: HotelVoiceError) -> JSONResponse:
        response = error_response(request, exc.status, exc.code, exc.message)
        if isinstance(exc, RateLimited):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 400, "invalid_request", _describe(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": request_id_of(request)})
        return error_response(request, 500, "internal_error", "internal error")

    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes or get_settings().max_body_bytes)
    return app


_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|[0-9]{1,6}|\[key\]")


def _describe(errors: Iterable[dict[str, Any]]) -> str:
    """Say which fields are wrong without echoing the input back (it may be personal data)."""
    parts = []
    for err in errors:
        # A body field name the client made up is input too ("Anna.Smith@example.com": …):
        # only names shaped like our fields, and list positions, are said back. Headers,
        # query and path parameters are named by us (an unknown one is never validated).
        loc = [str(p) for p in err.get("loc", ())]
        ours = bool(loc) and loc[0] in ("header", "query", "path")
        where = [p if ours or _FIELD_NAME.fullmatch(p) else "<key>" for p in loc]
        field = ".".join(p for p in where if p not in ("body", "query", "path", "header"))
        parts.append(f"{field or (where[0] if where else 'request')}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def require_role(*roles: Role) -> Callable[..., Principal]:
    """A dependency that verifies the bearer token and the role; admin always passes."""
    allowed = {*roles, Role.ADMIN}

    def _dependency(authorization: Annotated[str | None, Header()] = None) -> Principal:
        principal = verify_bearer(authorization)
        if principal.role not in allowed:
            raise Forbidden("this role may not use this route")
        enforce_rate_limit(principal)
        return principal

    return _dependency


def principal_with(*roles: Role) -> Any:
    """``Annotated`` type for a route parameter that requires one of ``roles``."""
    return Annotated[Principal, Depends(require_role(*roles))]


HotelId = Annotated[str, Path(pattern=HOTEL_ID_PATTERN)]
"""The ``{hotel_id}`` of a hotel's routes."""


def hotel_principal_with(*roles: Role) -> Any:
    """``Annotated`` type for a ``/hotels/{hotel_id}/…`` route: one of ``roles``, that hotel.

    A dependency, so a principal of another hotel gets its 403 before the query or body is
    validated: what a route would accept is nobody's business outside the hotel.
    """
    role_check = require_role(*roles)

    # A default, not an Annotated hint: this module's hints are strings, which FastAPI
    # evaluates in module scope, where ``role_check`` is not.
    def _dependency(
        hotel_id: HotelId,
        principal: Principal = Depends(role_check),  # noqa: B008
    ) -> Principal:
        principal.require_hotel(hotel_id)
        return principal

    return Annotated[Principal, Depends(_dependency)]
