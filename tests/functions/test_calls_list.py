"""Listing calls: newest first, filtered by time and outcome, paged with a signed cursor."""

from __future__ import annotations

import json
from urllib.parse import quote

from hotelvoice.auth import Role

HOTEL = "pager-hotel"


def seed_calls(plane, service_headers) -> None:
    headers = {**service_headers, "content-type": "application/json"}
    for n in range(7):
        call_id = f"pager-{n}"
        started = {
            "type": "call.started",
            "event_id": f"{call_id}:started",
            "call_id": call_id,
            "hotel_id": HOTEL,
            "occurred_at": f"2026-11-{10 + n:02d}T09:00:00Z",
            "language": "en",
        }
        ended = {
            "type": "call.ended",
            "event_id": f"{call_id}:ended",
            "call_id": call_id,
            "occurred_at": f"2026-11-{10 + n:02d}T09:05:00Z",
            "outcome": "transferred" if n % 3 == 0 else "completed",
        }
        for event in (started, ended):
            assert (
                plane.api.request(
                    "POST", f"/v1/calls/{call_id}/events", headers, json.dumps(event)
                ).status
                == 202
            )
    plane.drain()


def listing(plane, query: str):
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [HOTEL], 'pager-staff')}"}
    return plane.api.request("GET", f"/v1/calls?hotel_id={HOTEL}&{query}", staff)


def test_pages_filters_and_cursor(plane, service_headers):
    seed_calls(plane, service_headers)
    seen, cursor = [], ""
    for _ in range(5):
        body = listing(plane, f"limit=3{'&cursor=' + cursor if cursor else ''}").json()
        seen += [c["call_id"] for c in body["calls"]]
        cursor = body.get("next_cursor")
        if not cursor:
            break
    assert seen == [f"pager-{n}" for n in reversed(range(7))]

    window = listing(plane, "since=2026-11-12T00:00:00Z&until=2026-11-14T23:59:59Z").json()
    assert [c["call_id"] for c in window["calls"]] == ["pager-4", "pager-3", "pager-2"]

    transferred = listing(plane, "outcome=transferred").json()
    assert {c["call_id"] for c in transferred["calls"]} == {"pager-0", "pager-3", "pager-6"}
    assert all(c["outcome"] == "transferred" for c in transferred["calls"])


def test_bad_filters_and_forged_cursors_are_400(plane):
    first = listing(plane, "limit=1").json()
    cursor = first.get("next_cursor") or "x"
    forged = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    for query in (
        f"cursor={quote(forged)}",
        "cursor=not-a-cursor",
        "outcome=maybe",
        "since=yesterday",
        "since=2026-11-14T00:00:00Z&until=2026-11-01T00:00:00Z",
    ):
        response = listing(plane, query)
        assert response.status == 400, query
        assert set(response.json()["error"]) == {"code", "message", "request_id"}


def test_a_cursor_handed_back_with_another_period_is_a_400_and_with_its_own_pages_on(
    plane, service_headers
):
    seed_calls(plane, service_headers)
    first = listing(plane, "limit=3").json()  # the newest three: pager-6, -5, -4
    cursor = quote(first["next_cursor"])
    # DynamoDB refuses a start key outside the query's range (moto does not check it)
    for period in ("since=2026-11-16T00:00:00Z", "until=2026-11-12T00:00:00Z"):
        answer = listing(plane, f"limit=3&cursor={cursor}&{period}")
        assert answer.status == 400, (period, answer.body)
        assert answer.json()["error"]["code"] == "invalid_cursor"
    same_period = listing(plane, f"limit=3&cursor={cursor}&since=2026-11-11T00:00:00Z").json()
    assert [c["call_id"] for c in same_period["calls"]] == ["pager-3", "pager-2", "pager-1"]
