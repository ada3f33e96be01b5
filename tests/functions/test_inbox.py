"""The front desk's inbox: messages and requests of a hotel's calls, marked done by someone.

Each test uses a hotel of its own, so its inbox holds only what the test put there.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from boto3.dynamodb.conditions import Key

from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT
from tests.functions.call_event_wire import call_event, post_json

T0 = datetime.now(UTC) - timedelta(minutes=30)
NUMBER = "+4915100000042"


def bearer(plane, role: Role, hotels: list[str], subject: str = "desk-1") -> dict[str, str]:
    return {"authorization": f"Bearer {plane.token(role, hotels, subject=subject)}"}


def a_call(plane, hotel: str, *kinds: tuple[str, dict], order: list[int] | None = None) -> str:
    """A call of ``hotel`` with ``call.started`` and then ``kinds``, posted by its agent."""
    call_id = f"inbox-{uuid.uuid4().hex[:10]}"
    started = ("call.started", {"hotel_id": hotel, "language": "de", "caller_number": NUMBER})
    events = [
        call_event(call_id, kind, n, start=T0, **fields)
        for n, (kind, fields) in enumerate([started, *kinds])
    ]
    agent = bearer(plane, Role.SERVICE, [hotel])
    for n in order or range(len(events)):
        answer = post_json(plane, agent, f"/v1/calls/{call_id}/events", events[n])
        assert answer.status == 202, answer.body
        plane.drain()
    return call_id


def message(text: str = "Bitte zurückrufen") -> tuple[str, dict]:
    return ("call.message", {"message": text, "callback_number": NUMBER, "language": "de"})


def request(reference: str = "REQ-1001") -> tuple[str, dict]:
    fields = {"category": "taxi", "details": "Taxi um 6", "reference": reference, "language": "de"}
    return ("call.request", fields)


def inbox(plane, hotel: str, headers: dict, query: str = "") -> dict:
    answer = plane.api.request("GET", f"/v1/hotels/{hotel}/inbox{query}", headers)
    assert answer.status == 200, answer.body
    return answer.json()


def mark(plane, hotel: str, item_id: str, status: str, headers: dict):
    path = f"/v1/hotels/{hotel}/inbox/{item_id}/status"
    return post_json(plane, headers, path, {"status": status})


@pytest.fixture
def hotel() -> str:
    return f"inbox-{uuid.uuid4().hex[:8]}"


def test_messages_and_requests_wait_newest_first_with_the_number_to_call_back(plane, hotel):
    call_id = a_call(plane, hotel, message(), request())
    page = inbox(plane, hotel, bearer(plane, Role.STAFF, [hotel]))
    assert page["open_count"] == 2
    assert [i["kind"] for i in page["items"]] == ["request", "message"]
    taken = page["items"][1]
    assert taken["call_id"] == call_id
    assert taken["text"] == "Bitte zurückrufen"
    assert taken["callback_number"] == NUMBER
    assert taken["status"] == "open"
    assert NUMBER not in taken["item_id"]
    assert page["items"][0]["reference"] == "REQ-1001"


def test_marking_done_drops_the_count_keeps_the_first_who_and_is_audited(plane, hotel):
    a_call(plane, hotel, message(), request())
    anna = bearer(plane, Role.STAFF, [hotel], subject="anna")
    ben = bearer(plane, Role.STAFF, [hotel], subject="ben")
    item = inbox(plane, hotel, anna)["items"][0]

    done = mark(plane, hotel, item["item_id"], "done", anna)
    assert done.status == 200
    assert done.json()["done_by"] == "anna"
    again = mark(plane, hotel, item["item_id"], "done", ben)
    assert again.json()["done_by"] == "anna"

    page = inbox(plane, hotel, anna)
    assert page["open_count"] == 1
    assert item["item_id"] not in [i["item_id"] for i in page["items"]]
    finished = inbox(plane, hotel, anna, "?status=done")["items"]
    assert [(i["item_id"], i["done_by"]) for i in finished] == [(item["item_id"], "anna")]

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    trail = plane.table("AuditTable").query(KeyConditionExpression=Key("pk").eq(f"AUDIT#{today}"))
    changes = [e for e in trail["Items"] if e["action"] == "inbox.done" and e["hotel_id"] == hotel]
    assert {e["actor"] for e in changes} == {"anna", "ben"}
    assert all(NUMBER not in e["resource"] for e in changes)

    reopened = mark(plane, hotel, item["item_id"], "open", anna)
    assert reopened.json()["status"] == "open"
    assert reopened.json()["done_by"] is None
    assert inbox(plane, hotel, anna)["open_count"] == 2


def test_another_hotel_neither_reads_nor_marks(plane, hotel):
    a_call(plane, hotel, message())
    other = f"{hotel}-other"
    a_call(plane, other, message())
    own = bearer(plane, Role.STAFF, [hotel])
    item_id = inbox(plane, hotel, own)["items"][0]["item_id"]

    stranger = bearer(plane, Role.STAFF, [other])
    assert plane.api.request("GET", f"/v1/hotels/{hotel}/inbox", stranger).status == 403
    assert mark(plane, hotel, item_id, "done", stranger).status == 403
    everywhere = bearer(plane, Role.ADMIN, ["*"])
    wrong_door = mark(plane, other, item_id, "done", everywhere)
    assert wrong_door.status == 404
    assert inbox(plane, hotel, own)["open_count"] == 1
    assert (
        plane.api.request(
            "GET", f"/v1/hotels/{hotel}/inbox", bearer(plane, Role.SERVICE, [hotel])
        ).status
        == 403
    )


def test_an_item_that_came_before_the_call_named_its_hotel_is_filed_when_it_does(plane, hotel):
    a_call(plane, hotel, message("vor dem Start"), order=[1, 0])
    page = inbox(plane, hotel, bearer(plane, Role.STAFF, [hotel]))
    assert [i["text"] for i in page["items"]] == ["vor dem Start"]


def test_the_dialled_numbers_hotel_takes_the_items_with_it(plane, hotel):
    call_id = a_call(plane, hotel, message())
    dialled = f"{hotel}-dialled"
    store = CallRecordStore(plane.resources.refs["CallsTable"])
    joined = CALL_EVENT.validate_python(
        call_event(call_id, "livekit.caller_joined", 9, start=T0, hotel_id=dialled)
    )
    store.apply(joined)
    assert inbox(plane, hotel, bearer(plane, Role.STAFF, [hotel]))["open_count"] == 0
    moved = inbox(plane, dialled, bearer(plane, Role.STAFF, [dialled]))
    assert [i["call_id"] for i in moved["items"]] == [call_id]


def test_an_erased_call_leaves_the_inbox(plane, hotel):
    call_id = a_call(plane, hotel, message(), request())
    CallRecordStore(plane.resources.refs["CallsTable"]).erase_call(
        call_id, erased_at=datetime.now(UTC)
    )
    assert inbox(plane, hotel, bearer(plane, Role.STAFF, [hotel]))["open_count"] == 0


def test_pages_and_cursors_belong_to_one_hotel_and_status(plane, hotel):
    a_call(plane, hotel, message("eins"), message("zwei"), message("drei"))
    staff = bearer(plane, Role.STAFF, [hotel])
    first = inbox(plane, hotel, staff, "?limit=2")
    assert len(first["items"]) == 2
    rest = inbox(plane, hotel, staff, f"?limit=2&cursor={first['next_cursor']}")
    texts = [i["text"] for i in first["items"] + rest["items"]]
    assert sorted(texts) == ["drei", "eins", "zwei"]
    elsewhere = plane.api.request(
        "GET", f"/v1/hotels/{hotel}/inbox?status=done&cursor={first['next_cursor']}", staff
    )
    assert elsewhere.status == 400
    assert elsewhere.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    ("item_id", "body", "status"),
    [
        ("nothing-here", {"status": "done"}, 400),
        ("a~message~b", {"status": "archived"}, 400),
        ("a~message~b", {"status": "done", "done_by": "someone-else"}, 400),
        ("a~letter~b", {"status": "done"}, 400),
        ("a~message~b", {"status": "done"}, 404),
    ],
)
def test_bad_requests_are_clear_4xx(plane, hotel, item_id, body, status):
    staff = bearer(plane, Role.STAFF, [hotel])
    path = f"/v1/hotels/{hotel}/inbox/{item_id}/status"
    answer = plane.api.request(
        "POST", path, {**staff, "content-type": "application/json"}, json.dumps(body)
    )
    assert answer.status == status
    assert set(answer.json()["error"]) == {"code", "message", "request_id"}
