"""A hotel's calls in numbers for a period of days, computed from its records on request.

The hotel's calls of the period come from the ``by-hotel`` index (start, end, outcome), their
languages from the summaries (one batch read per hundred calls), the bookings from the
``by-hotel-item`` index. Nothing is counted ahead: redelivered or reordered events cannot
make a counter drift, and an erased call keeps only what its tombstone keeps (when and how
it ended), so it still counts. Periods are bounded (:data:`MAX_DAYS`) to keep a request small.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hotelvoice.calls.erasable import BY_HOTEL_INDEX, stamp
from hotelvoice.calls.hotel_items import BY_HOTEL_ITEM_INDEX, item_key
from hotelvoice.calls.record_reads import CallRecordReads
from hotelvoice.contracts.stats import BookingTotals, Containment, DayCount, HotelStats
from hotelvoice.dynamo import Key, query_all
from hotelvoice.errors import InvalidRequest

MAX_DAYS = 93
"""A quarter: the longest period one request adds up."""
IN_PROGRESS = "in_progress"


class CallStats(CallRecordReads):
    """Reads the records of a period and adds them up."""

    def for_period(self, hotel_id: str, since: date, until: date, zone: ZoneInfo) -> HotelStats:
        """The dashboard's numbers for the days ``since`` … ``until`` (inclusive) in ``zone``."""
        if until < since:
            raise InvalidRequest("since must not be after until")
        if (until - since).days + 1 > MAX_DAYS:
            raise InvalidRequest(f"a period is at most {MAX_DAYS} days")
        try:
            start = datetime.combine(since, time(), zone).astimezone(UTC)
            end = datetime.combine(until + timedelta(days=1), time(), zone).astimezone(UTC)
        except (OverflowError, ValueError) as exc:  # year 1 east of UTC, 9999-12-31
            raise InvalidRequest("the period must be representable in UTC") from exc
        calls = query_all(
            self._table,
            IndexName=BY_HOTEL_INDEX,
            KeyConditionExpression=Key("hotel_id").eq(hotel_id)
            & Key("started_at").between(stamp(start), stamp(end - timedelta(microseconds=1))),
        )
        languages = self._languages([c["call_id"] for c in calls if c.get("call_id")])
        bookings = query_all(
            self._table,
            IndexName=BY_HOTEL_ITEM_INDEX,
            KeyConditionExpression=Key("item_key").eq(item_key(hotel_id, "booking"))
            & Key("item_at").between(stamp(start), stamp(end)),
        )
        return add_up(hotel_id, since, until, zone, calls, languages, bookings)

    def _languages(self, call_ids: list[str]) -> Counter[str]:
        found = self.summaries(call_ids, ("language",))
        return Counter(found.get(call_id, {}).get("language") or "unknown" for call_id in call_ids)


def add_up(
    hotel_id: str,
    since: date,
    until: date,
    zone: ZoneInfo,
    calls: list[dict[str, Any]],
    languages: Counter[str],
    bookings: list[dict[str, Any]],
) -> HotelStats:
    """The numbers, from the period's index items (pure: the tests feed it directly)."""
    days = {since + timedelta(days=n): Counter[str]() for n in range((until - since).days + 1)}
    hours = [0] * 24
    outcomes: Counter[str] = Counter()
    lengths = []
    for call in calls:
        started = datetime.fromisoformat(call["started_at"]).astimezone(zone)
        outcome = call.get("outcome") or IN_PROGRESS
        outcomes[outcome] += 1
        days.setdefault(started.date(), Counter())[outcome] += 1
        hours[started.hour] += 1
        if call.get("ended_at"):
            ended = datetime.fromisoformat(call["ended_at"]).astimezone(zone)
            lengths.append(max(0.0, (ended - started).total_seconds()))
    handled, transferred = outcomes["completed"], outcomes["transferred"]
    decided = handled + transferred
    return HotelStats(
        hotel_id=hotel_id,
        since=since,
        until=until,
        time_zone=zone.key,
        calls=len(calls),
        by_outcome=dict(outcomes),
        by_day=[
            DayCount(day=day, calls=sum(counts.values()), by_outcome=dict(counts))
            for day, counts in sorted(days.items())
            if since <= day <= until
        ],
        containment=Containment(
            handled=handled,
            transferred=transferred,
            rate=round(handled / decided, 4) if decided else None,
        ),
        languages=dict(languages.most_common()),
        by_hour=hours,
        average_length_s=round(statistics.fmean(lengths), 1) if lengths else None,
        bookings=_bookings(bookings),
    )


def _bookings(items: list[dict[str, Any]]) -> BookingTotals:
    totals = BookingTotals()
    value: Counter[str] = Counter()
    for item in items:
        action = item.get("action")
        if action in ("created", "changed", "cancelled"):
            setattr(totals, action, getattr(totals, action) + 1)
        if action == "created" and item.get("total_minor") is not None and item.get("currency"):
            value[item["currency"]] += int(item["total_minor"])
    totals.value_minor = dict(value)
    return totals
