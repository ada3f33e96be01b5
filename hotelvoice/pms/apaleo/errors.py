"""Apaleo's error answers read onto the port's error family.

Apaleo answers a request it will not carry out with 422 and ``{"messages": [...]}``. On a
write (booking, cancel, amend) that is a business rule ("the reservation is not in status
Confirmed"), relayed to the caller in Apaleo's words as ``RefusedByPms``, or no room left
(``SoldOut``); on a read it is our query (``InvalidRequest``). 401 means the access token
is no longer accepted (the connector fetches a new one once), 403 that the hotel's Apaleo app
lacks a scope. Everything else keeps :func:`~hotelvoice.pms.vendor_http.default_classify`'s
reading (404, 429 with ``Retry-After``, 5xx).
"""

from __future__ import annotations

import re

import httpx

from hotelvoice.errors import (
    HotelVoiceError,
    InvalidRequest,
    RefusedByPms,
    SoldOut,
    Unavailable,
)
from hotelvoice.pms.apaleo.payloads import Messages

SOLD_OUT = re.compile(
    r"fully ?booked|sold ?out|no (?:more )?(?:units?|rooms?) (?:left|available)"
    r"|no availability|not enough (?:units|availability)|OfferNotAvailable",
    re.IGNORECASE,
)
"""How Apaleo says a unit group has no room left (``UnitGroupFullyBooked`` …)."""
MAX_REASON_CHARS = 300


class CredentialsRefused(Unavailable):
    """Apaleo refused our token or the hotel's client credentials."""


def reason(response: httpx.Response) -> str | None:
    """Apaleo's ``messages`` joined into one sentence, or None without any."""
    try:
        messages = Messages.model_validate_json(response.content).messages
    except ValueError:
        return None
    text = " ".join(m.strip() for m in messages if m and m.strip())
    return text[:MAX_REASON_CHARS] or None


def classify_api(response: httpx.Response) -> HotelVoiceError | None:
    """The Booking/Inventory API's answer as one of our errors (None: the default reading)."""
    status = response.status_code
    if status == 401:
        return CredentialsRefused("the hotel's system refused our access token")
    if status == 403:
        return Unavailable("the hotel's Apaleo app lacks a permission for this request")
    if status not in (400, 422):
        return None
    why = reason(response)
    if response.request.method == "GET" or status == 400 or why is None:
        return InvalidRequest(why or "the hotel's system refused the request")
    if SOLD_OUT.search(why):
        return SoldOut(why)
    return RefusedByPms(why)


def classify_identity(response: httpx.Response) -> HotelVoiceError | None:
    """The token endpoint's answer: RFC 6749 ``invalid_client`` and friends are ours to fix."""
    if response.status_code in (400, 401, 403):
        return CredentialsRefused("the hotel's Apaleo credentials were refused")
    return None
