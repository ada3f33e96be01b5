"""Requests to the Mews Connector API: ``POST [base]/api/connector/v1/<operation>``.

Every operation is a POST whose JSON body carries ``ClientToken``, ``AccessToken`` and
``Client`` beside its own fields, and every request goes through
:class:`~hotelvoice.pms.vendor_http.VendorHttp` (timeouts, retries of reads only, the
breaker, metrics). Answers are parsed with JSON numbers as :class:`~decimal.Decimal`, so an
amount never passes through a float.

How Mews' statuses read (connector-api/guidelines/responses.md):

- 400 ``Invalid {Parameter}`` → ``InvalidRequest``; 401 (tokens invalid, integration
  disabled, operation not permitted) → ``Unavailable``: the hotel cannot fix it on the phone;
- 403 is a business rule ("The reservation cannot be canceled.") → ``RefusedByPms`` with
  Mews' ``Message``, which Mews says to show to the user;
- 404 means a wrong address (Mews has no per-entity 404; unknown ids are 400), 408 a heavy
  request, 409 data that changed meanwhile → ``Unavailable`` (retry later);
- 429 with ``Retry-After`` (200 requests per access token per 30 s) → ``RateLimited``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx

from hotelvoice.errors import HotelVoiceError, InvalidRequest, RefusedByPms, Unavailable
from hotelvoice.pms.mews.credentials import MewsCredentials, MewsRate
from hotelvoice.pms.vendor_http import VendorHttp

API_PATH = "/api/connector/v1/"
PAGE_SIZE = 1000
"""Mews' largest ``Limitation.Count``."""
MAX_PAGES = 5
"""Static lists (room types, age categories) never need more; a caller is waiting."""


def classify(response: httpx.Response) -> HotelVoiceError | None:
    """Mews' reading of an error answer; ``None`` leaves it to the shared mapping (429, 5xx)."""
    status = response.status_code
    if status == 403:
        return RefusedByPms(error_message(response) or "the hotel's system refused the request")
    if status == 401:
        return Unavailable("the hotel's system refused our Mews credentials or this operation")
    if status == 400:
        return InvalidRequest("the hotel's system refused the request")
    if status == 404:
        return Unavailable("the hotel's system does not know this operation (Mews address?)")
    if status == 408:
        return Unavailable("the hotel's system took too long to answer")
    if status == 409:
        return Unavailable("the reservation changed in the hotel's system meanwhile; try again")
    return None


def error_message(response: httpx.Response) -> str | None:
    """``Message`` of Mews' error body ``{Message, RequestId, Details}``, if there is one."""
    try:
        body = response.json()
    except ValueError:
        return None
    message = body.get("Message") if isinstance(body, dict) else None
    return message.strip() if isinstance(message, str) and message.strip() else None


class MewsApi:
    """One hotel's Connector API: tokens added to every body, answers parsed exactly."""

    def __init__(
        self, http: VendorHttp, credentials: Callable[[], Awaitable[MewsCredentials]]
    ) -> None:
        """Send through ``http``; ``credentials`` loads the hotel's tokens (cached by it)."""
        self._http = http
        self._credentials = credentials

    async def rates(self) -> tuple[MewsRate, ...]:
        """The rates the hotel lets the phone quote and book (from its secret).

        None configured is the hotel's setup to fix, not a sold-out house.
        """
        rates = (await self._credentials()).rates
        if not rates:
            raise Unavailable("the hotel's Mews secret names no rates to sell by phone")
        return rates

    async def call(
        self, operation: str, body: dict[str, Any], *, idempotent: bool
    ) -> dict[str, Any]:
        """``POST …/<operation>`` with ``body`` plus the tokens; the answer's JSON object.

        Args:
            operation: E.g. ``"reservations/getAll/2023-06-06"``.
            body: The operation's own fields.
            idempotent: Whether repeating it is harmless (reads; absolute updates).
        """
        credentials = await self._credentials()
        response = await self._http.request(
            "POST",
            f"{API_PATH}{operation}",
            operation=operation,
            idempotent=idempotent,
            json={**credentials.body(), **body},
        )
        if not response.content.strip():
            return {}
        try:
            answer = json.loads(response.content, parse_float=Decimal)
        except ValueError as exc:
            raise Unavailable("the hotel's system answered something unreadable") from exc
        return answer if isinstance(answer, dict) else {}

    async def get_all(
        self, operation: str, body: dict[str, Any], key: str, *, max_pages: int = MAX_PAGES
    ) -> list[dict[str, Any]]:
        """Every item of a paged ``getAll`` (``Limitation {Count, Cursor}``), oldest last.

        A page with fewer items than asked for is the last one (Mews' own rule; the cursor
        of the last page is not null, so it cannot end the loop on its own).
        """
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(max_pages):
            limitation: dict[str, Any] = {"Count": PAGE_SIZE}
            if cursor:
                limitation["Cursor"] = cursor
            page = await self.call(operation, {**body, "Limitation": limitation}, idempotent=True)
            found = [i for i in page.get(key) or [] if isinstance(i, dict)]
            items.extend(found)
            cursor = page.get("Cursor")
            if len(found) < PAGE_SIZE or not cursor:
                break
        return items
