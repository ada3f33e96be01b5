"""A stay in Mews' terms: UTC bounds from local dates, and people per age category.

Mews books a stay from the arrival's check-in (local midnight + the service's
``StartOffset``) to the departure's check-out (local midnight + ``EndOffset``), and counts
people per age category (``PersonCounts``); our contracts speak of dates, adults and
children.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hotelvoice.pms.mews.hotel_time import local_midnight, utc_text
from hotelvoice.pms.mews.models import MewsPersonCount
from hotelvoice.pms.mews.property_facts import PropertyFacts


def stay_bounds(facts: PropertyFacts, arrival: date, departure: date) -> dict[str, str]:
    """``StartUtc``/``EndUtc`` of a stay (wall-clock offsets, so DST changes do not shift them)."""
    start = local_midnight(arrival, facts.zone) + facts.start_offset
    end = local_midnight(departure, facts.zone) + facts.end_offset
    return {"StartUtc": utc_text(start), "EndUtc": utc_text(end)}


def time_units(facts: PropertyFacts, arrival: date, departure: date) -> dict[str, str]:
    """First and last night's time-unit starts (local midnights) for availability."""
    last_night = departure - timedelta(days=1)
    return {
        "FirstTimeUnitStartUtc": utc_text(local_midnight(arrival, facts.zone)),
        "LastTimeUnitStartUtc": utc_text(local_midnight(last_night, facts.zone)),
    }


def person_counts(facts: PropertyFacts, adults: int, children: int) -> list[dict[str, Any]]:
    """``PersonCounts`` for a party; without a child category Mews counts children as adults."""
    counts = {facts.adult_category: adults}
    child = facts.child_category or facts.adult_category
    counts[child] = counts.get(child, 0) + children
    return [{"AgeCategoryId": k, "Count": n} for k, n in counts.items() if n > 0]


def party(facts: PropertyFacts, counts: list[MewsPersonCount] | None) -> tuple[int, int]:
    """(adults, children) of a reservation's ``PersonCounts``; unknown categories are adults."""
    adults = children = 0
    for count in counts or []:
        if facts.age_classes.get(count.age_category_id) == "Child":
            children += count.count
        else:
            adults += count.count
    return adults, children
