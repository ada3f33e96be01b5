"""Where the demo PMS keeps things in its table (shared by its reads, writes and seed)."""

from __future__ import annotations

from datetime import date


def hotel_pk(hotel_id: str) -> str:
    """Partition key of one hotel's items."""
    return f"HOTEL#{hotel_id}"


def nights_pk(hotel_id: str, night: date) -> str:
    """Partition of one hotel's inventory for the month of ``night``."""
    return f"HOTEL#{hotel_id}#NIGHTS#{night:%Y-%m}"


def night_sk(night: date, room_type: str) -> str:
    """Sort key of one room type's inventory for one night."""
    return f"{night.isoformat()}#{room_type}"
