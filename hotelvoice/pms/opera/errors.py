"""OPERA's error answers onto the port's error family.

OPERA answers a refused request with an RFC 7807-like body: ``{"type", "title", "status",
"detail", "o:errorCode", "o:errorDetails": [...]}``. It has no 409 or 422: a business rule
(no room left, rate closed, reservation cannot be cancelled any more) and a malformed request
both come back as 400. The body tells them apart: OPERA's own words are relayed to the caller
as :class:`RefusedByPms` (or :class:`SoldOut` when they are about availability), and a 400
that only complains about the request's shape, or carries no words at all, is our bug
(:class:`InvalidRequest`). Everything else keeps :func:`default_classify`'s reading.
"""

from __future__ import annotations

import json
import re

import httpx

from hotelvoice.errors import HotelVoiceError, InvalidRequest, RefusedByPms, SoldOut

_SOLD_OUT = re.compile(
    r"sold out|no availability|not available for|overbook|no rooms? (left|available)"
    r"|(room|rate)\b[^.]{0,40}\b(closed|restricted|not available)",
    re.IGNORECASE,
)
_SHAPE = re.compile(
    r"json|malformed|deseriali[sz]|unrecognized field|schema|invalid format|parse",
    re.IGNORECASE,
)
_GENERIC_TITLES = frozenset({"bad request", "invalid request", "error", "400"})
REASON_MAX = 300


def classify(response: httpx.Response) -> HotelVoiceError | None:
    """OPERA's reading of a 400; None leaves other statuses to the default mapping."""
    if response.status_code != 400:
        return None
    reason = opera_reason(response)
    if reason is None or _SHAPE.search(reason):
        return InvalidRequest("the hotel's system refused the request")
    if _SOLD_OUT.search(reason):
        return SoldOut(reason)
    return RefusedByPms(reason)


def opera_reason(response: httpx.Response) -> str | None:
    """OPERA's own words for a refusal: the detail, else a specific title, else None."""
    try:
        problem = json.loads(response.content or b"null")
    except ValueError:
        return None
    if not isinstance(problem, dict):
        return None
    candidates: list[object] = [problem.get("detail"), problem.get("title")]
    details = problem.get("o:errorDetails")
    if isinstance(details, list):
        for entry in details:
            if isinstance(entry, dict):
                candidates += [entry.get("detail"), entry.get("title")]
    for candidate in candidates:
        if isinstance(candidate, str):
            words = " ".join(candidate.split())
            if words and words.casefold() not in _GENERIC_TITLES:
                return words[:REASON_MAX]
    return None
