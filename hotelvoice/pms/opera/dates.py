"""OPERA's dates and times as the hotel's local calendar and clock.

Stay dates are plain ``YYYY-MM-DD`` in OPERA's schema, already the property's business dates.
Should a date-time arrive instead, one with an offset (or ``Z``) is an instant and becomes the
date it is at the hotel; one without an offset is already property-local (OPERA states
deadlines "in Property TimeZone"). A UTC string is never cut at the ``T``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hotelvoice.pms.opera.wire import text

_CLOCK = re.compile(r"[T ](\d{2}):(\d{2})")


def local_datetime(value: object, tz: ZoneInfo) -> datetime | None:
    """An OPERA date-time as an aware ``datetime`` at the hotel (naive = property-local)."""
    raw = text(value)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def local_date(value: object, tz: ZoneInfo) -> date | None:
    """An OPERA date (or date-time) as the hotel's local date."""
    raw = text(value)
    if raw is None:
        return None
    if len(raw) == 10:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    moment = local_datetime(raw, tz)
    return moment.date() if moment else None


def wall_clock(value: object) -> str | None:
    """``"2026-01-01T15:00:00Z"`` → ``"15:00"``: OPERA's check-in/out hour as written.

    OPERA keeps a property's official check-in and check-out hour as a time of day on a
    placeholder date: the hour the front desk states, not an instant, so it is read as
    written and not moved across time zones.
    """
    raw = text(value)
    match = _CLOCK.search(raw) if raw else None
    return f"{match.group(1)}:{match.group(2)}" if match else None
