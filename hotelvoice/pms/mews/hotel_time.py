"""Mews times (UTC instants) ↔ the hotel's local dates.

Mews gives and takes instants in UTC. A night is a *time unit* that starts at the hotel's
local midnight, so the night of 10 June in Berlin starts at ``2026-06-09T22:00:00Z``: its
date is only right once converted to the hotel's time zone (``TimeZoneIdentifier`` from
``configuration/get``), never by cutting the UTC text. A stay starts at the service's
``StartOffset`` after the arrival's midnight (check-in) and ends at ``EndOffset`` after the
departure's midnight (check-out).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hotelvoice.errors import Unavailable
from hotelvoice.time_zones import zone_named

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def hotel_zone(name: str) -> ZoneInfo:
    """The hotel's time zone; an unknown name is a PMS configuration we cannot use."""
    zone = zone_named(name)
    if zone is None:
        raise Unavailable(f"the hotel's time zone {name!r} is unknown here")
    return zone


def parse_utc(text: str) -> datetime:
    """A Mews UTC instant (``2026-06-09T22:00:00Z``, with or without fractions) as aware."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """An aware instant the way Mews examples write it: ``2026-06-09T22:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(text: str, zone: ZoneInfo) -> date:
    """The hotel-local calendar date of a Mews UTC instant."""
    return parse_utc(text).astimezone(zone).date()


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day``'s time unit: the hotel's local midnight, as an aware instant."""
    return datetime.combine(day, time(0), tzinfo=zone)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration as Mews writes offsets (``P0M0DT15H0M0S``, ``PT14H``, ``-PT2H``).

    Raises:
        ValueError: not a duration, or one with months or years (no fixed length).
    """
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    parts = match.groupdict()
    if int(parts["years"] or 0) or int(parts["months"] or 0):
        raise ValueError(f"a duration in months or years has no fixed length: {text!r}")
    span = timedelta(
        weeks=int(parts["weeks"] or 0),
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=float(parts["seconds"] or 0),
    )
    return -span if parts["sign"] else span


def clock_text(offset: timedelta) -> str:
    """A time-of-day offset from midnight as the receptionist says it: ``15:00``."""
    minutes = int(offset.total_seconds() // 60) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
