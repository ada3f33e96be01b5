"""``POST /v1/calls/{call_id}/events/batch``: all of a batch or none of it, as one event each.

On the shared local control plane (moto, the template's routes and the real handlers): a
batch makes the same record as the same events posted one by one; one invalid event, or one
the token may not write, refuses the whole batch with nothing queued. SQS's partial
refusals are exercised on a real boto3 client with botocore's Stubber.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from hotelvoice.auth import Role
from hotelvoice.calls import queue
from hotelvoice.contracts.call_events import CallEnded
from hotelvoice.errors import Unavailable
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from tests.functions.call_event_wire import call_event, post_json
from tests.functions.test_call_events_path import agent_events, get_call

B = DEMO_HOTEL_ID
A = "another-hotel"
T0 = datetime.now(UTC) - timedelta(minutes=10)


def headers(plane, role: Role, hotels: list[str]) -> dict[str, str]:
    return {"authorization": f"Bearer {plane.token(role, hotels, subject=f'batch-{role}')}"}


def post_batch(plane, auth: dict[str, str], call_id: str, events: list[dict]):
    return post_json(plane, auth, f"/v1/calls/{call_id}/events/batch", {"events": events})


def owner_item(plane, call_id: str):
    key = {"pk": f"CALL#{call_id}", "sk": "OWNER"}
    return plane.table("CallsTable").get_item(Key=key, ConsistentRead=True).get("Item")


def renamed(record: dict, call_id: str) -> str:
    return json.dumps(record, sort_keys=True).replace(call_id, "<call>")


def test_a_batch_makes_the_same_record_as_single_events(plane, service_headers, staff_headers):
    one_by_one, batched = "batch-same-single", "batch-same-multi"
    for event in agent_events(one_by_one, turns=7):
        answer = post_json(plane, service_headers, f"/v1/calls/{one_by_one}/events", event)
        assert answer.status == 202, answer.body
    events = agent_events(batched, turns=7)
    for start in range(0, len(events), 4):
        chunk = events[start : start + 4]
        answer = post_batch(plane, service_headers, batched, chunk)
        assert answer.status == 202, answer.body
        assert answer.json() == {"accepted": True, "event_ids": [e["event_id"] for e in chunk]}
    plane.drain()
    single = get_call(plane, staff_headers, one_by_one).json()
    batch = get_call(plane, staff_headers, batched).json()
    assert [t["index"] for t in batch["turns"]] == list(range(7))
    assert batch["hotel_id"] == B
    assert renamed(batch, batched) == renamed(single, one_by_one)


def test_fifty_events_go_in_one_request_in_sqs_chunks(plane, service_headers, staff_headers):
    call_id = "batch-fifty"
    events = agent_events(call_id, turns=47)  # started, 47 turns, a tool call, ended
    assert len(events) == 50
    answer = post_batch(plane, service_headers, call_id, events)
    assert answer.status == 202, answer.body
    plane.drain()
    record = get_call(plane, staff_headers, call_id).json()
    assert [t["index"] for t in record["turns"]] == list(range(47))
    assert record["outcome"] == "completed"


def invalid_batches(call_id: str) -> dict[str, object]:
    good = agent_events(call_id, turns=2)
    bad_turn = {**good[1], "role": "narrator"}
    elsewhere = {**good[2], "call_id": "another-call", "event_id": "another-call:turn:1"}
    livekit_only = {**good[2], "type": "livekit.room_finished"}
    many = agent_events(call_id, turns=49)  # 51 events
    return {
        "an invalid event": {"events": [good[0], bad_turn, *good[2:]]},
        "an event of another call": {"events": [good[0], elsewhere]},
        "an event only LiveKit may send": {"events": [good[0], livekit_only]},
        "more than fifty events": {"events": many},
        "no events": {"events": []},
        "a field besides events": {"events": good, "call_id": call_id},
        "a list, not a batch": good,
    }


@pytest.mark.parametrize("case", sorted(invalid_batches("x")))
def test_one_invalid_event_refuses_the_batch_and_queues_nothing(
    plane, service_headers, staff_headers, case
):
    call_id = f"batch-invalid-{uuid.uuid4().hex[:8]}"
    body = invalid_batches(call_id)[case]
    answer = post_json(plane, service_headers, f"/v1/calls/{call_id}/events/batch", body)
    assert answer.status == 400, answer.body
    assert set(answer.json()["error"]) == {"code", "message", "request_id"}
    assert answer.json()["error"]["code"] == "invalid_request"
    plane.drain()
    assert owner_item(plane, call_id) is None, "nothing claimed"
    assert get_call(plane, staff_headers, call_id).status == 404, "nothing queued"


@pytest.fixture
def b_call(plane):
    """A call of hotel B, started by B's own agent, with one turn."""
    call_id = f"batch-tenancy-{uuid.uuid4().hex[:8]}"
    events = [
        call_event(call_id, "call.started", 0, start=T0, hotel_id=B, language="de"),
        call_event(call_id, "call.turn", 1, start=T0, index=0, role="caller", text="Guten Tag"),
    ]
    assert post_batch(plane, headers(plane, Role.SERVICE, [B]), call_id, events).status == 202
    plane.drain()
    return call_id


def turn(call_id: str, index: int, text: str) -> dict:
    return call_event(
        call_id, "call.turn", 10 + index, start=T0, index=index, role="caller", text=text
    )


def test_another_hotels_agent_writes_nothing_into_the_call(plane, b_call, staff_headers):
    before = get_call(plane, staff_headers, b_call).json()
    for who in ([A], [A, "third-hotel"]):
        answer = post_batch(
            plane, headers(plane, Role.SERVICE, who), b_call, [turn(b_call, 5, "not mine")]
        )
        assert answer.status == 403, (who, answer.body)
        assert answer.json()["error"]["code"] == "forbidden"
    plane.drain()
    assert get_call(plane, staff_headers, b_call).json() == before


@pytest.mark.parametrize("hotels", [[B], ["*"]])
def test_one_refused_event_refuses_the_batch_before_anything_is_queued(
    plane, b_call, staff_headers, hotels
):
    before = get_call(plane, staff_headers, b_call).json()
    takeover = call_event(b_call, "call.started", 2, start=T0, hotel_id=A, language="en")
    answer = post_batch(
        plane, headers(plane, Role.SERVICE, hotels), b_call, [turn(b_call, 5, "queued?"), takeover]
    )
    assert answer.status == 403, answer.body
    plane.drain()
    after = get_call(plane, staff_headers, b_call).json()
    assert after == before
    assert "queued?" not in json.dumps(after)
    assert owner_item(plane, b_call)["owner_hotel"] == B


def test_the_hotels_own_agent_and_the_fleets_agent_get_in(plane, b_call, staff_headers):
    for n, hotels in enumerate(([B], ["*"])):
        answer = post_batch(
            plane, headers(plane, Role.SERVICE, hotels), b_call, [turn(b_call, 1 + n, f"line {n}")]
        )
        assert answer.status == 202, answer.body
    plane.drain()
    record = get_call(plane, staff_headers, b_call).json()
    assert [t["index"] for t in record["turns"]] == [0, 1, 2]


# -- SQS: chunks of ten, refused entries retried once, then 503 ----------------------------


def events(n: int) -> list[CallEnded]:
    return [
        CallEnded(event_id=f"c:{i}", call_id="c", occurred_at=T0, outcome="completed")
        for i in range(n)
    ]


@pytest.fixture
def sqs(monkeypatch):
    client = boto3.client(
        "sqs",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    monkeypatch.setenv("HOTELVOICE_CALL_EVENTS_QUEUE_URL", "https://sqs.test/q")
    get_settings.cache_clear()
    monkeypatch.setattr(queue.aws, "client", lambda service: client)
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def sent(ids: list[str]) -> dict:
    return {
        "Successful": [{"Id": i, "MessageId": f"m{i}", "MD5OfMessageBody": "x"} for i in ids],
        "Failed": [],
    }


def failed(ok: list[str], bad: list[str]) -> dict:
    return {
        **sent(ok),
        "Failed": [{"Id": i, "SenderFault": False, "Code": "InternalError"} for i in bad],
    }


def test_sqs_batches_go_in_chunks_of_ten_and_refused_entries_are_sent_once_more(sqs):
    def chunk(ids: list[tuple[int, CallEnded]]) -> dict:
        entries = [{"Id": str(i), "MessageBody": e.model_dump_json()} for i, e in ids]
        return {"QueueUrl": "https://sqs.test/q", "Entries": entries}

    batch = events(23)
    numbered = list(enumerate(batch))
    sqs.add_response(
        "send_message_batch",
        failed([str(i) for i in range(10) if i != 3], ["3"]),
        chunk(numbered[:10]),
    )
    sqs.add_response("send_message_batch", sent(["3"]), chunk([(3, batch[3])]))
    sqs.add_response(
        "send_message_batch",
        sent([str(i) for i in range(10)]),
        chunk([(i, e) for i, e in enumerate(batch[10:20])]),
    )
    sqs.add_response(
        "send_message_batch",
        sent(["0", "1", "2"]),
        chunk([(i, e) for i, e in enumerate(batch[20:])]),
    )
    ids = queue.enqueue_batch(batch)
    assert ids[:10] == [f"m{i}" for i in range(10)]
    assert len(ids) == 23


def test_an_entry_refused_twice_makes_the_batch_a_503(sqs):
    sqs.add_response("send_message_batch", failed(["0"], ["1"]))
    sqs.add_response("send_message_batch", failed([], ["1"]))
    with pytest.raises(Unavailable):
        queue.enqueue_batch(events(2))


def test_sqs_unreachable_is_a_503(sqs):
    sqs.add_client_error("send_message_batch", "ServiceUnavailable", http_status_code=503)
    with pytest.raises(Unavailable):
        queue.enqueue_batch(events(1))
