"""HTTP to a hotel's PMS vendor: one timeout, bounded retries, a breaker per hotel and vendor.

Every vendor connector (Apaleo, Mews, OPERA Cloud) sends its requests through
:class:`VendorHttp`, so they all behave the same way when a PMS misbehaves, and a guest on
the phone never waits longer than ``budget_s`` for an answer:

- **One budget per port call** (:func:`call_budget`, set by the PMS API around each
  connector call): however many requests a connector chains, the last ends in time.
- **Retries** only where repeating is harmless: reads, and writes that carry an idempotency
  key (``idempotent=True``). 429, 502, 503, 504, timeouts and broken connections are retried
  with jittered exponential backoff; ``Retry-After`` is honoured, and a wait longer than
  the budget left is a :class:`~hotelvoice.errors.RateLimited` at once (the dialogue tells
  the caller, the front desk can try later).
- **A circuit breaker per hotel and vendor** (:mod:`hotelvoice.breaker`): after a few
  failures in a row (5xx, timeouts, refused connections, not 4xx) that hotel's PMS is not
  asked for a cooldown; its calls get ``Unavailable`` at once, and other hotels on the same
  vendor are untouched.
- **Errors** map onto the port's family (:mod:`hotelvoice.pms.connector`). A connector
  refines the mapping for its vendor with ``classify`` (Mews' 403 is a business rule, not a
  credential problem).
- **Metrics**: each request is reported to :data:`observers` (vendor, hotel, operation,
  outcome, latency); the PMS Lambda turns them into metrics. Nothing of the request's
  content is reported: names and codes never become metric dimensions.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hotelvoice.breaker import BreakerState, CircuitBreaker
from hotelvoice.errors import (
    HotelVoiceError,
    InvalidRequest,
    NotFound,
    RateLimited,
    SoldOut,
    Unavailable,
)

if TYPE_CHECKING:  # the connectors bring httpx; a request that reaches no PMS never loads it
    import httpx

log = logging.getLogger("hotelvoice.pms.vendor_http")
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
BREAKER_FAILURES = 3
BREAKER_COOLDOWN_S = 30.0
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 2.0


@dataclass(frozen=True)
class VendorCall:
    """One request to a PMS vendor, as metrics see it."""

    vendor: str
    hotel_id: str
    operation: str
    outcome: str
    """``ok``, or the error code it ended in (``unavailable``, ``rate_limited`` …)."""
    status: int | None
    latency_ms: float
    attempts: int
    breaker: BreakerState


observers: list[Callable[[VendorCall], None]] = []
"""Called after every request (the PMS Lambda registers its metrics here)."""

_breakers: dict[tuple[str, str], CircuitBreaker] = {}
_call_deadline: ContextVar[float | None] = ContextVar("pms_call_deadline", default=None)


def breaker_for(vendor: str, hotel_id: str) -> CircuitBreaker:
    """The one breaker of this hotel's PMS at this vendor, in this process."""
    key = (vendor, hotel_id)
    if key not in _breakers:
        _breakers[key] = CircuitBreaker(
            f"pms:{vendor}:{hotel_id}", failures=BREAKER_FAILURES, cooldown_s=BREAKER_COOLDOWN_S
        )
    return _breakers[key]


def default_classify(response: httpx.Response) -> HotelVoiceError:
    """The error a vendor's non-2xx answer stands for, unless the connector knows better."""
    status = response.status_code
    if status == 404:
        return NotFound("not found in the hotel's system")
    if status == 409:
        return SoldOut("the hotel's system has no room for that any more")
    if status == 429:
        return RateLimited(
            "the hotel's system asks us to slow down", retry_after_s=retry_after_s(response)
        )
    if status in (401, 403):
        return Unavailable("the hotel's system refused our credentials")
    if status in (400, 422):
        return InvalidRequest("the hotel's system refused the request")
    return Unavailable(f"the hotel's system answered {status}")


def retry_after_s(response: httpx.Response, default: int = 1) -> int:
    """``Retry-After`` in whole seconds (seconds form; an HTTP date counts as the default)."""
    try:
        return max(0, int(float(response.headers.get("retry-after", default))))
    except ValueError:
        return default


class VendorHttp:
    """Requests to one vendor for one hotel."""

    def __init__(
        self,
        vendor: str,
        hotel_id: str,
        client: httpx.AsyncClient,
        *,
        budget_s: float = 6.0,
        max_attempts: int = 3,
        classify: Callable[[httpx.Response], HotelVoiceError | None] | None = None,
    ) -> None:
        """One hotel's requests to one vendor.

        Args:
            vendor: ``apaleo``, ``mews``, ``opera`` (metrics, breaker).
            hotel_id: Our hotel id (breaker, metrics).
            client: The connector's client (base URL, auth, per-request timeout).
            budget_s: The most one call may take, retries and waits included.
            max_attempts: Tries per call where retrying is allowed.
            classify: The vendor's own reading of an error answer; ``None`` falls back to
                :func:`default_classify`.
        """
        self.vendor = vendor
        self.hotel_id = hotel_id
        self.client = client
        self.budget_s = budget_s
        self.max_attempts = max_attempts
        self._classify = classify
        self.breaker = breaker_for(vendor, hotel_id)

    async def request(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        idempotent: bool,
        ok_statuses: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request (with retries where ``idempotent``); a 2xx answer or an error.

        ``ok_statuses`` are non-2xx answers the caller handles itself (none usually).
        """
        import httpx

        started = time.monotonic()
        deadline = min(started + self.budget_s, _call_deadline.get() or math.inf)
        attempts = 0
        status: int | None = None
        error: HotelVoiceError | None = None
        try:
            while True:
                if not self.breaker.allow():
                    raise Unavailable("the hotel's system is not answering; try again shortly")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise error or Unavailable("the hotel's system did not answer in time")
                attempts += 1
                wait: float | None = None
                try:
                    response = await self.client.request(
                        method, url, **({"timeout": self._timeout_within(left)} | kwargs)
                    )
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    self.breaker.record_failure()
                    error = Unavailable("the hotel's system did not answer in time")
                    if not idempotent or attempts >= self.max_attempts:
                        raise error from exc
                    wait = _backoff(attempts)
                else:
                    status = response.status_code
                    if response.is_success or status in ok_statuses:
                        self.breaker.record_success()
                        error = None
                        return response
                    if status >= 500:
                        self.breaker.record_failure()
                    else:
                        self.breaker.record_success()  # it answered; the request was wrong
                    error = self._error(response)
                    retryable = idempotent and status in RETRYABLE_STATUSES
                    if not retryable or attempts >= self.max_attempts:
                        raise error
                    wait = max(_backoff(attempts), retry_after_s(response, 0))
                if time.monotonic() + wait > deadline:
                    raise _out_of_time(error, wait)
                await asyncio.sleep(wait)
        except HotelVoiceError as exc:
            error = exc
            raise
        finally:
            self._report(operation, error, status, started, attempts)

    def _timeout_within(self, left: float) -> httpx.Timeout:
        """The client's own timeouts, cut to what is left of the call's budget."""
        import httpx

        own = self.client.timeout
        return httpx.Timeout(
            connect=_shorter(own.connect, left),
            read=_shorter(own.read, left),
            write=_shorter(own.write, left),
            pool=_shorter(own.pool, left),
        )

    def _error(self, response: httpx.Response) -> HotelVoiceError:
        refined = self._classify(response) if self._classify else None
        return refined or default_classify(response)

    def _report(
        self,
        operation: str,
        error: HotelVoiceError | None,
        status: int | None,
        started: float,
        attempts: int,
    ) -> None:
        call = VendorCall(
            vendor=self.vendor,
            hotel_id=self.hotel_id,
            operation=operation,
            outcome="ok" if error is None else error.code,
            status=status,
            latency_ms=(time.monotonic() - started) * 1000,
            attempts=attempts,
            breaker=self.breaker.state,
        )
        for observe in observers:
            try:
                observe(call)
            except Exception:  # metrics must never fail a guest's request
                log.warning("a PMS call observer failed", exc_info=True)


@contextmanager
def call_budget(seconds: float) -> Iterator[None]:
    """Every vendor request of one port call (token, facts, lookup, write) ends in ``seconds``.

    A connector may chain several requests for one question; the caller waits for all of
    them. Nested budgets keep the earlier deadline.
    """
    mine = time.monotonic() + seconds
    earlier = _call_deadline.get()
    token = _call_deadline.set(mine if earlier is None else min(earlier, mine))
    try:
        yield
    finally:
        _call_deadline.reset(token)


def _shorter(own: float | None, left: float) -> float:
    return left if own is None else min(own, left)


def _backoff(attempt: int) -> float:
    return min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)


def _out_of_time(error: HotelVoiceError | None, wait: float) -> HotelVoiceError:
    """No time left to wait for another try: say when the PMS will take requests again."""
    if isinstance(error, RateLimited):
        return RateLimited(error.message, retry_after_s=max(1, round(wait)))
    return error or Unavailable("the hotel's system did not answer in time")
