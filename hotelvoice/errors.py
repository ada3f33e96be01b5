"""Typed errors of the domain and the one HTTP error body every API answers with.

Handlers never build error responses themselves: they raise one of these and the shared app
factory turns it into ``{"error": {"code", "message", "request_id"}}`` with the right status.
"""

from __future__ import annotations

from pydantic import BaseModel


class HotelVoiceError(Exception):
    """Base of errors that a caller may see; ``code`` is stable, ``message`` is for humans."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidRequest(HotelVoiceError):
    """The caller sent something we cannot act on (bad dates, missing fields)."""

    status = 400
    code = "invalid_request"


class Unauthorized(HotelVoiceError):
    """No credential, or one we cannot verify."""

    status = 401
    code = "unauthorized"


class Forbidden(HotelVoiceError):
    """A valid credential that may not do this."""

    status = 403
    code = "forbidden"


class NotFound(HotelVoiceError):
    """Nothing matches; also used when disclosing existence would leak personal data."""

    status = 404
    code = "not_found"


class Conflict(HotelVoiceError):
    """The request contradicts stored state."""

    status = 409
    code = "conflict"


class SoldOut(Conflict):
    """The PMS has no room left for the stay (or the offer is gone since it was quoted)."""

    code = "sold_out"


class RefusedByPms(HotelVoiceError):
    """A business rule of the hotel's PMS refused the request; ``message`` is its reason.

    The reason is relayed to the caller ("the rate cannot be cancelled any more"), so
    connectors keep the PMS's own words and nothing else.
    """

    status = 422
    code = "refused_by_pms"


class PayloadTooLarge(HotelVoiceError):
    """The body exceeds what the route accepts."""

    status = 413
    code = "payload_too_large"


class RateLimited(HotelVoiceError):
    """The caller sent too many requests; ``retry_after_s`` says when to come back."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unavailable(HotelVoiceError):
    """A dependency (PMS, queue, table) cannot answer now; the caller may retry."""

    status = 503
    code = "unavailable"


class ErrorDetail(BaseModel):
    """The inner object of the error body."""

    code: str
    message: str
    request_id: str


class ErrorBody(BaseModel):
    """The one error body of every HTTP API."""

    error: ErrorDetail
