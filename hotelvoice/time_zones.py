"""IANA time zones named by clients and PMS vendors, looked up without surprises.

``ZoneInfo`` fails in three ways for a name that is not a zone: ``ZoneInfoNotFoundError``
for an unknown one, ``ValueError`` for a malformed path, and ``IsADirectoryError`` (an
``OSError``) for a region such as ``America`` or ``Europe``, which is a folder of zones in the
tz database. Every caller wants the same answer for all three: not a zone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    """The zone called ``name``; ``None`` when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
