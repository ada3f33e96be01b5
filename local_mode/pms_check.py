"""``hotelvoice pms check --hotel ID``: do the hotel's PMS credentials work, and what answers?

A hotel's IT team runs it after putting the PMS secret in place and before pointing the
phone number at the receptionist. It builds the connector exactly as the PMS Lambda does
(the hotel's configuration, its secret, the vendor base URL) and tries one read of each
kind. Only the outcome is printed, never guest data: the reservation check asks for a code
that cannot exist, and a clean "no match" is what a working PMS answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hotelvoice.contracts.pms import AvailabilityQuery, ReservationLookup
from hotelvoice.errors import HotelVoiceError, NotFound
from hotelvoice.pms.registry import connector_for

PROBE_CODE = "ZZ000000"
"""A confirmation number no PMS issues: the lookup must say "no match", not fail."""


@dataclass(frozen=True)
class CheckResult:
    """One check: what was tried, whether it worked, and what it showed."""

    name: str
    ok: bool
    detail: str
    latency_ms: float


async def check_hotel(hotel_id: str, today: date | None = None) -> list[CheckResult]:
    """Connect, then read the hotel's facts, a night's availability and a reservation."""
    today = today or date.today()
    try:
        pms = connector_for(hotel_id)
    except HotelVoiceError as exc:
        return [CheckResult("connector", False, f"{exc.code}: {exc.message}", 0.0)]
    stay = AvailabilityQuery(
        arrival=today + timedelta(days=14), departure=today + timedelta(days=15), adults=1
    )
    lookup = ReservationLookup(confirmation_code=PROBE_CODE, last_name="Check")

    async def info() -> str:
        facts = await pms.hotel_info(hotel_id)
        return f"{facts.name}, {facts.timezone}, {facts.currency}"

    async def availability() -> str:
        answer = await pms.availability(hotel_id, stay)
        return f"{len(answer.offers)} offers for {stay.arrival} (1 night, 1 adult)"

    async def reservation() -> str:
        try:
            await pms.find_reservation(hotel_id, lookup)
        except NotFound:
            return "lookups answer (a made-up code is not found, as it should be)"
        raise RuntimeError("a made-up confirmation number was found")

    return [
        await _timed("hotel info", info),
        await _timed("availability", availability),
        await _timed("reservation lookup", reservation),
    ]


async def _timed(name: str, check: Callable[[], Awaitable[str]]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail, ok = await check(), True
    except HotelVoiceError as exc:
        detail, ok = f"{exc.code}: {exc.message}", False
    except Exception as exc:  # a check reports what broke, whatever it is
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return CheckResult(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def run_check(hotel_id: str, out: Any) -> int:
    """Print one line per check; 0 when all worked, 1 otherwise."""
    results = asyncio.run(check_hotel(hotel_id))
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        print(f"{mark} {result.name:<20} {result.latency_ms:>8.1f} ms  {result.detail}", file=out)
    return 0 if all(r.ok for r in results) else 1
