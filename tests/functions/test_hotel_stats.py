"""The dashboard's numbers: a hotel's calls of a period, added up from its records."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotelvoice.auth import Role
from hotelvoice.calls.stats import add_up
from tests.functions.call_event_wire import call_event, post_json

BERLIN = ZoneInfo("Europe/Berlin")


def test_days_and_hours_are_the_hotels_not_utcs():
    calls = [
        # 23:30 UTC on 1 December is 00:30 on 2 December in Berlin.
        {
            "call_id": "a",
            "started_at": "2026-12-01T23:30:00Z",
            "ended_at": "2026-12-01T23:33:00Z",
            "outcome": "completed",
        },
        {"call_id": "b", "started_at": "2026-12-02T09:00:00Z", "outcome": None},
    ]
    stats = add_up("h", date(2026, 12, 1), date(2026, 12, 3), BERLIN, calls, Counter(), [])
    assert [(d.day.isoformat(), d.calls) for d in stats.by_day] == [
        ("2026-12-01", 0),
        ("2026-12-02", 2),
        ("2026-12-03", 0),
    ]
    assert stats.by_hour[0] == 1
    assert stats.by_hour[10] == 1
    assert stats.by_outcome == {"completed": 1, "in_progress": 1}
    assert stats.average_length_s == 180.0
    assert stats.containment.rate == 1.0


def test_no_calls_no_rate_no_average():
    stats = add_up("h", date(2026, 12, 1), date(2026, 12, 1), BERLIN, [], Counter(), [])
    assert stats.calls == 0
    assert stats.containment.rate is None
    assert stats.average_length_s is None
    assert stats.by_hour == [0] * 24


@pytest.fixture
def hotel() -> str:
    return f"stats-{uuid.uuid4().hex[:8]}"


def a_call(plane, hotel: str, start: datetime, outcome: str, language: str, *extra) -> None:
    call_id = f"stats-{uuid.uuid4().hex[:10]}"
    kinds = [
        ("call.started", {"hotel_id": hotel, "language": language, "caller_number": "+4930111"}),
        *extra,
        ("call.ended", {"outcome": outcome}),
    ]
    agent = {"authorization": f"Bearer {plane.token(Role.SERVICE, [hotel])}"}
    for n, (kind, fields) in enumerate(kinds):
        event = call_event(call_id, kind, n * 60, start=start, **fields)
        assert post_json(plane, agent, f"/v1/calls/{call_id}/events", event).status == 202
    plane.drain()


def booking(code: str, total: int, action: str = "created") -> tuple[str, dict]:
    fields = {"action": action, "confirmation_code": code, "total_minor": total, "currency": "EUR"}
    return ("call.booking", fields)


def test_a_period_of_real_records_added_up(plane, hotel):
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    a_call(plane, hotel, yesterday, "completed", "de", booking("HV9001", 25000))
    a_call(plane, hotel, yesterday, "transferred", "en")
    a_call(
        plane,
        hotel,
        today,
        "completed",
        "de",
        booking("HV9002", 10000),
        booking("HV9003", 500, "cancelled"),
    )
    a_call(plane, hotel, today - timedelta(days=30), "completed", "fr")  # before the period
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel])}"}
    period = f"since={yesterday.date()}&until={today.date()}&tz=UTC"
    answer = plane.api.request("GET", f"/v1/hotels/{hotel}/stats?{period}", staff)
    assert answer.status == 200, answer.body
    stats = answer.json()
    assert stats["calls"] == 3
    assert [d["calls"] for d in stats["by_day"]] == [2, 1]
    assert stats["containment"] == {"handled": 2, "transferred": 1, "rate": 0.6667}
    assert stats["languages"] == {"de": 2, "en": 1}
    assert stats["by_hour"][12] == 3
    assert stats["average_length_s"] == 120.0  # 2, 1 and 3 minutes
    assert stats["bookings"] == {
        "created": 2,
        "changed": 0,
        "cancelled": 1,
        "value_minor": {"EUR": 35000},
    }

    other = {"authorization": f"Bearer {plane.token(Role.STAFF, [hotel + '-x'])}"}
    assert plane.api.request("GET", f"/v1/hotels/{hotel}/stats?{period}", other).status == 403


@pytest.mark.parametrize(
    "query",
    [
        "since=2026-01-01&until=2026-12-31",
        "since=2026-12-05&until=2026-12-01",
        "since=0001-01-01&until=0001-01-02&tz=Asia/Tokyo",
        "since=9999-12-30&until=9999-12-31",
        "since=2026-12-01&until=2026-12-02&tz=Mars/Base",
        "since=2026-12-01&until=2026-12-02&tz=/etc/passwd",
        "since=2026-12-01&until=2026-12-02&tz=America",  # a folder of zones, not a zone
        "since=2026-12-01",
        "since=yesterday&until=today",
    ],
)
def test_bad_periods_are_clear_400s(plane, query):
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'])}"}
    answer = plane.api.request("GET", f"/v1/hotels/aurora-berlin/stats?{query}", staff)
    assert answer.status == 400, answer.body
    assert set(answer.json()["error"]) == {"code", "message", "request_id"}
