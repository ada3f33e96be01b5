"""A hotel's calls in numbers, for a period: what the dashboard shows a manager."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class DayCount(BaseModel):
    """One day (in the requested time zone): its calls by outcome."""

    day: date
    calls: int
    by_outcome: dict[str, int]
    """``completed``, ``transferred`` … and ``in_progress`` for a call without an outcome."""


class Containment(BaseModel):
    """How many calls the receptionist finished itself, against those it put through."""

    handled: int
    """Calls that ended ``completed``: no person needed."""
    transferred: int
    rate: float | None = None
    """``handled / (handled + transferred)``; none without either."""


class BookingTotals(BaseModel):
    """What the line booked, changed and cancelled, and the value of the new bookings."""

    created: int = 0
    changed: int = 0
    cancelled: int = 0
    value_minor: dict[str, int] = Field(default_factory=dict)
    """The new bookings' totals by currency, in minor units (cents)."""


class HotelStats(BaseModel):
    """Every number of the dashboard, computed from the call records of the period."""

    hotel_id: str
    since: date
    until: date
    time_zone: str
    calls: int
    by_outcome: dict[str, int]
    by_day: list[DayCount]
    containment: Containment
    languages: dict[str, int]
    by_hour: list[int]
    """Calls started in each hour of the day (0–23, the requested time zone)."""
    average_length_s: float | None = None
    bookings: BookingTotals
