"""A hotel's knowledge base through the API: admins of the hotel edit it, staff and the agent
read it, other hotels see and change nothing, and bad entries are a 400 that writes nothing."""

from __future__ import annotations

import json
import uuid

import pytest

from hotelvoice.auth import Role
from hotelvoice.contracts.knowledge import MAX_ANSWER_WORDS, MAX_ENTRIES
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID

STATION = {
    "category": "arrival",
    "questions": {"fr": ["comment venir depuis la gare"], "en": ["how do I get from the station"]},
    "answers": {"fr": "Prenez le tram M8 jusqu'à Rosenthaler Platz.", "en": "Take tram M8."},
}


def headers(plane, role: Role, hotel: str) -> dict[str, str]:
    token = plane.token(role, [hotel], subject=f"{role.value}-{uuid.uuid4().hex[:6]}")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def new_hotel(plane) -> str:
    """A hotel with a configuration of its own (and no knowledge yet)."""
    hotel = f"kb-{uuid.uuid4().hex[:8]}"
    body = {
        "version": 0,
        "dialled_numbers": ["+4989" + str(uuid.uuid4().int)[:8]],
        "front_desk": "+49 89 5550 1000",
    }
    created = plane.api.request(
        "PUT", f"/v1/hotels/{hotel}/config", headers(plane, Role.ADMIN, hotel), json.dumps(body)
    )
    assert created.status == 200, created.body
    return hotel


def put_entry(plane, hotel: str, entry: str, body: dict, role: Role = Role.ADMIN, as_of=None):
    return plane.api.request(
        "PUT",
        f"/v1/hotels/{hotel}/knowledge/{entry}",
        headers(plane, role, as_of or hotel),
        json.dumps(body),
    )


def delete(plane, hotel: str, entry: str, role: Role = Role.ADMIN, as_of=None):
    path = f"/v1/hotels/{hotel}/knowledge/{entry}"
    return plane.api.request("DELETE", path, headers(plane, role, as_of or hotel))


def read(plane, hotel: str, role: Role = Role.STAFF, as_of=None):
    path = f"/v1/hotels/{hotel}/knowledge"
    return plane.api.request("GET", path, headers(plane, role, as_of or hotel))


def entries(plane, hotel: str) -> dict[str, dict]:
    listed = read(plane, hotel, Role.STAFF, as_of=hotel)
    assert listed.status == 200, listed.body
    return {e["id"]: e for e in listed.json()["entries"]}


def test_an_admin_adds_changes_and_deletes_an_entry_each_change_audited(plane):
    hotel = new_hotel(plane)
    added = put_entry(plane, hotel, "directions-station", STATION)
    assert added.status == 200, added.body
    assert added.json()["id"] == "directions-station"
    assert entries(plane, hotel)["directions-station"]["answers"] == STATION["answers"]

    listed = entries(plane, hotel)["directions-station"]  # written back as read, changed
    changed = put_entry(plane, hotel, "directions-station", listed | {"category": "other"})
    assert changed.status == 200, changed.body
    assert list(entries(plane, hotel)) == ["directions-station"]  # replaced, not added
    assert entries(plane, hotel)["directions-station"]["category"] == "other"

    deleted = delete(plane, hotel, "directions-station", Role.ADMIN, as_of=hotel)
    assert deleted.status == 204
    assert entries(plane, hotel) == {}
    again = delete(plane, hotel, "directions-station", Role.ADMIN, as_of=hotel)
    assert again.status == 404
    assert again.json()["error"]["code"] == "not_found"

    audited = [
        i
        for i in plane.table("AuditTable").scan()["Items"]
        if i["hotel_id"] == hotel and i["action"].startswith("hotel.knowledge.")
    ]
    assert sorted((i["action"], i["resource"]) for i in audited) == [
        ("hotel.knowledge.deleted", f"hotel/{hotel}/knowledge/directions-station@4"),
        ("hotel.knowledge.updated", f"hotel/{hotel}/knowledge/directions-station@2"),
        ("hotel.knowledge.updated", f"hotel/{hotel}/knowledge/directions-station@3"),
    ]


def test_the_agent_reads_the_entries_with_the_hotel_info_and_a_topic_entry_answers_its_topic(
    plane,
):
    # Only the demo hotel has a PMS behind it: its seeded entries, and one added and removed.
    service = headers(plane, Role.SERVICE, DEMO_HOTEL_ID)
    info = plane.api.request("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/info", service).json()
    ids = {e["id"] for e in info["knowledge"]}
    assert {"directions-station", "late-checkout"} <= ids, "the demo hotel's seeded entries"
    assert len(ids) >= 10

    parking = {"topic": "parking", "category": "parking", "answers": {"de": "Tiefgarage, 20 Euro."}}
    assert put_entry(plane, DEMO_HOTEL_ID, "parking-garage", parking).status == 200
    try:
        info = plane.api.request("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/info", service).json()
        assert info["policy_texts"]["de"]["parking"] == "Tiefgarage, 20 Euro."
        assert "parking-garage" in {e["id"] for e in info["knowledge"]}
    finally:
        removed = plane.api.request(
            "DELETE",
            f"/v1/hotels/{DEMO_HOTEL_ID}/knowledge/parking-garage",
            headers(plane, Role.ADMIN, DEMO_HOTEL_ID),
        )
        assert removed.status == 204


def test_staff_and_the_agent_read_but_never_write(plane):
    hotel = new_hotel(plane)
    for role in (Role.STAFF, Role.SERVICE):
        assert put_entry(plane, hotel, "spa", STATION, role=role).status == 403
        deleted = delete(plane, hotel, "spa", role, as_of=hotel)
        assert deleted.status == 403
    allowed = read(plane, hotel, Role.SERVICE)
    assert allowed.status == 200


def test_one_hotel_never_reads_or_writes_anothers_knowledge(plane):
    mine, theirs = new_hotel(plane), new_hotel(plane)
    assert put_entry(plane, theirs, "directions-station", STATION).status == 200
    # An admin and a staff member of `mine`, aiming at `theirs`.
    assert put_entry(plane, theirs, "intruder", STATION, as_of=mine).status == 403
    deleted = delete(plane, theirs, "directions-station", Role.ADMIN, as_of=mine)
    assert deleted.status == 403
    refused = read(plane, theirs, Role.STAFF, as_of=mine)
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert list(entries(plane, theirs)) == ["directions-station"]
    assert entries(plane, mine) == {}


def test_bad_entries_are_a_400_with_the_error_body_and_write_nothing(plane):
    hotel = new_hotel(plane)
    long_answer = " ".join(["word"] * (MAX_ANSWER_WORDS + 1))
    bad = [
        ("Bad_Id", STATION),  # upper case in the id
        ("spa", STATION | {"answers": {}}),
        ("spa", STATION | {"answers": {"en": long_answer}}),
        ("spa", STATION | {"answers": {"nl": "Neem tram M8."}, "questions": {}}),
        ("spa", STATION | {"answers": {"en": "Take tram M8."}}),  # French questions, no answer
        ("spa", {"category": "other", "answers": {"en": "A spa."}}),  # no question, no topic
        ("spa", STATION | {"topic": "sauna"}),
        ("spa", STATION | {"category": "casino"}),
        ("spa", STATION | {"questions": {"en": ["q" * 161]}}),
        ("spa", STATION | {"questions": {"en": [f"question {n}" for n in range(11)]}}),
        ("spa", STATION | {"unknown_field": 1}),
        ("spa", STATION | {"id": "sauna"}),  # no renaming through the body
    ]
    for entry, body in bad:
        answer = put_entry(plane, hotel, entry, body)
        assert answer.status == 400, (entry, body, answer.body)
        assert answer.json()["error"]["code"] == "invalid_request"
    not_json = plane.api.request(
        "PUT", f"/v1/hotels/{hotel}/knowledge/spa", headers(plane, Role.ADMIN, hotel), "{not json"
    )
    assert not_json.status == 400
    assert entries(plane, hotel) == {}


def test_the_knowledge_base_keeps_its_limits_one_topic_once_and_a_bounded_count(plane):
    hotel = new_hotel(plane)
    parking = {"topic": "parking", "answers": {"en": "Garage next door."}}
    assert put_entry(plane, hotel, "parking", parking).status == 200
    twice = put_entry(plane, hotel, "garage", parking)
    assert twice.status == 400
    assert "topic" in twice.json()["error"]["message"]
    for n in range(1, MAX_ENTRIES):
        body = {"questions": {"en": [f"question number {n}"]}, "answers": {"en": f"Answer {n}."}}
        assert put_entry(plane, hotel, f"entry-{n}", body).status == 200
    one_more = put_entry(plane, hotel, "one-too-many", STATION)
    assert one_more.status == 400
    assert len(entries(plane, hotel)) == MAX_ENTRIES


def test_a_hotel_without_a_configuration_has_no_knowledge_to_edit(plane):
    hotel = f"kb-none-{uuid.uuid4().hex[:6]}"
    assert put_entry(plane, hotel, "spa", STATION).status == 404
    listed = read(plane, hotel, Role.STAFF, as_of=hotel)
    assert listed.status == 404


def test_a_configuration_with_the_former_facts_keeps_them_as_topic_entries(plane):
    hotel = f"kb-{uuid.uuid4().hex[:8]}"
    body = {
        "version": 0,
        "dialled_numbers": ["+4989" + str(uuid.uuid4().int)[:8]],
        "front_desk": "+49 89 5550 1000",
        "facts": {"de": {"pets": "Hunde sind willkommen."}, "en": {"pets": "Dogs are welcome."}},
    }
    created = plane.api.request(
        "PUT", f"/v1/hotels/{hotel}/config", headers(plane, Role.ADMIN, hotel), json.dumps(body)
    )
    assert created.status == 200, created.body
    (pets,) = created.json()["knowledge"]
    assert (pets["id"], pets["topic"]) == ("pets", "pets")
    assert pets["answers"] == {"de": "Hunde sind willkommen.", "en": "Dogs are welcome."}
    assert "facts" not in created.json()


@pytest.mark.parametrize("knowledge", [[1], 5, "ab", [None], {"spa": {}}])
def test_former_facts_beside_a_malformed_knowledge_base_are_a_400(plane, knowledge):
    hotel = f"kb-{uuid.uuid4().hex[:8]}"
    body = {
        "version": 0,
        "dialled_numbers": ["+4989" + str(uuid.uuid4().int)[:8]],
        "front_desk": "+49 89 5550 1000",
        "facts": {},
        "knowledge": knowledge,
    }
    answer = plane.api.request(
        "PUT", f"/v1/hotels/{hotel}/config", headers(plane, Role.ADMIN, hotel), json.dumps(body)
    )
    assert answer.status == 400, answer.body
    assert set(answer.json()["error"]) == {"code", "message", "request_id"}
