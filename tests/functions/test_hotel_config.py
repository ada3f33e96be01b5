"""Hotel configuration: admins change it (audited, versioned), numbers map to one hotel only."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from hotelvoice.auth import Role
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER


def unique_hotel() -> str:
    return f"hotel-{uuid.uuid4().hex[:8]}"


def unique_number() -> str:
    return "+4989" + str(uuid.uuid4().int)[:8]


def admin(plane, hotel: str = "*") -> dict[str, str]:
    token = plane.token(Role.ADMIN, [hotel], subject=f"admin-{uuid.uuid4().hex[:6]}")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def put(plane, hotel: str, body: dict, headers: dict | None = None):
    return plane.api.request(
        "PUT", f"/v1/hotels/{hotel}/config", headers or admin(plane), json.dumps(body)
    )


def settings_body(version: int, *numbers: str, **extra) -> dict:
    return {
        "version": version,
        "dialled_numbers": list(numbers),
        "front_desk": "+49 89 5550 1000",
        **extra,
    }


def number_lookup(plane, number: str, hotel: str = "*"):
    token = plane.token(Role.SERVICE, [hotel])
    return plane.api.request(
        "GET", f"/v1/dialled-numbers/{number}", {"authorization": f"Bearer {token}"}, None
    )


def audit_entries(plane, hotel: str) -> list[dict]:
    items = plane.table("AuditTable").scan()["Items"]
    return [i for i in items if i["hotel_id"] == hotel and i["action"] == "hotel.config.updated"]


def test_an_admin_creates_then_changes_a_configuration_and_each_change_is_audited(plane):
    hotel, number = unique_hotel(), unique_number()
    headers = admin(plane)
    created = put(plane, hotel, settings_body(0, number, languages=["de", "en"]), headers)
    assert created.status == 200, created.body
    config = created.json()
    assert (config["version"], config["front_desk"], config["languages"]) == (
        1,
        "tel:+498955501000",
        ["de", "en"],
    )
    assert number_lookup(plane, number).json()["hotel_id"] == hotel

    changed = put(plane, hotel, settings_body(1, number, max_call_s=600), headers)
    assert changed.status == 200, changed.body
    assert (changed.json()["version"], changed.json()["max_call_s"]) == (2, 600)

    entries = audit_entries(plane, hotel)
    assert sorted(e["resource"] for e in entries) == [
        f"hotel/{hotel}/config@1",
        f"hotel/{hotel}/config@2",
    ]
    assert {e["role"] for e in entries} == {"admin"}
    assert all(e["request_id"] for e in entries)


def test_a_stale_version_is_409_and_nothing_changes(plane):
    hotel, number = unique_hotel(), unique_number()
    assert put(plane, hotel, settings_body(0, number)).status == 200
    assert put(plane, hotel, settings_body(1, number, max_call_s=120)).status == 200
    stale = put(plane, hotel, settings_body(1, number, max_call_s=3600))
    assert stale.status == 409
    assert stale.json()["error"]["code"] == "conflict"
    current = number_lookup(plane, number).json()
    assert (current["version"], current["max_call_s"]) == (2, 120)
    assert len(audit_entries(plane, hotel)) == 2


def test_a_number_answers_for_one_hotel_only_and_a_refused_change_writes_nothing(plane):
    first, second, shared, own = unique_hotel(), unique_hotel(), unique_number(), unique_number()
    assert put(plane, first, settings_body(0, shared)).status == 200
    refused = put(plane, second, settings_body(0, own, shared))
    assert refused.status == 409
    assert shared in refused.json()["error"]["message"]
    # The transaction is all or nothing: the second hotel's own number was not claimed either.
    assert number_lookup(plane, own).status == 404
    assert number_lookup(plane, shared).json()["hotel_id"] == first


def test_a_released_number_can_be_claimed_by_another_hotel(plane):
    first, second, moving, kept = unique_hotel(), unique_hotel(), unique_number(), unique_number()
    assert put(plane, first, settings_body(0, moving, kept)).status == 200
    assert put(plane, first, settings_body(1, kept)).status == 200
    assert number_lookup(plane, moving).status == 404
    assert put(plane, second, settings_body(0, moving)).status == 200
    assert number_lookup(plane, moving).json()["hotel_id"] == second


def test_two_admins_editing_at_once_one_wins_one_gets_409(plane):
    hotel, number = unique_hotel(), unique_number()
    assert put(plane, hotel, settings_body(0, number)).status == 200
    bodies = [settings_body(1, number, max_call_s=s) for s in (300, 1200)]
    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda body: put(plane, hotel, body).status, bodies))
    assert statuses == [200, 409]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dialled_numbers": ["0301234567"]}, "dialled_numbers"),
        ({"dialled_numbers": []}, "dialled_numbers"),
        ({"front_desk": "call reception"}, "front_desk"),
        ({"languages": ["en", "en"]}, "language"),
        ({"languages": ["nl"]}, "languages"),
        ({"max_call_s": "900"}, "max_call_s"),
        ({"version": -1}, "version"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_configurations_are_400_with_the_field_named(plane, change, field):
    response = put(plane, unique_hotel(), settings_body(0, unique_number()) | change)
    assert response.status == 400, response.body
    assert field in response.json()["error"]["message"]


def test_the_demo_hotel_answers_its_number(plane):
    config = number_lookup(plane, DEMO_DIALLED_NUMBER).json()
    assert config["hotel_id"] == "aurora-berlin"
    assert config["languages"] == ["en", "de", "fr", "es", "it"]
    assert number_lookup(plane, "+15550000000").status == 404
    assert number_lookup(plane, "0301234").status == 400


def test_staff_read_their_hotel_but_cannot_change_it(plane):
    staff = {
        "authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'])}",
        "content-type": "application/json",
    }
    read = plane.api.request("GET", "/v1/hotels/aurora-berlin/config", staff, None)
    assert read.status == 200
    change = settings_body(read.json()["version"], DEMO_DIALLED_NUMBER)
    assert put(plane, "aurora-berlin", change, staff).status == 403


@pytest.mark.parametrize(
    ("pms", "says"),
    [
        ({"connector": "opera", "property_id": "HOTEL1"}, "not available"),
        ({"connector": "hilton"}, "pms"),
        ({"connector": "demo", "secret_name": "prod/db-password"}, "secret_name"),
    ],
)
def test_a_pms_that_is_not_built_or_not_ours_to_read_is_400_and_nothing_is_stored(
    plane, pms, says, monkeypatch
):
    from hotelvoice.pms.registry import CONNECTORS

    monkeypatch.delitem(CONNECTORS, "opera", raising=False)  # a release built without it
    hotel = unique_hotel()
    response = put(plane, hotel, settings_body(0, unique_number(), pms=pms))
    assert response.status == 400, response.body
    assert says in response.json()["error"]["message"]
    assert plane.api.request("GET", f"/v1/hotels/{hotel}/config", admin(plane)).status == 404


def test_a_built_connector_needs_its_property_and_an_existing_secret(plane, monkeypatch):
    from hotelvoice import aws
    from hotelvoice.pms.registry import CONNECTORS

    # A connector registered as built (the registry's public table), to exercise the checks
    # every real connector gets before its hotel may be stored.
    monkeypatch.setitem(CONNECTORS, "mews", CONNECTORS["demo"])
    hotel = unique_hotel()
    secret = f"hotelvoice/pms/{hotel}"
    binding = {"connector": "mews", "property_id": "svc-1", "secret_name": secret}
    missing = put(plane, hotel, settings_body(0, unique_number(), pms=binding))
    assert missing.status == 400
    assert secret in missing.json()["error"]["message"]
    no_property = put(
        plane, hotel, settings_body(0, unique_number(), pms=binding | {"property_id": None})
    )
    assert no_property.status == 400
    aws.client("secretsmanager").create_secret(Name=secret, SecretString='{"token": "x"}')
    stored = put(plane, hotel, settings_body(0, unique_number(), pms=binding))
    assert stored.status == 200, stored.body
    assert stored.json()["pms"] == binding


@pytest.mark.parametrize("suffix", ["", "/2026", "-x", "x"])
def test_only_the_hotels_own_pms_secret_may_be_bound(plane, monkeypatch, suffix):
    from hotelvoice import aws
    from hotelvoice.pms.registry import CONNECTORS

    # Hotel B's credentials exist, and the PMS function may read them: hotel A's admin must
    # not make them answer A's calls (nor learn from the answer that they exist).
    monkeypatch.setitem(CONNECTORS, "mews", CONNECTORS["demo"])
    hotel_a, hotel_b = unique_hotel(), unique_hotel()
    secret_b = f"hotelvoice/pms/{hotel_b}"
    aws.client("secretsmanager").create_secret(Name=secret_b, SecretString='{"token": "b"}')
    aws.client("secretsmanager").create_secret(
        Name=f"hotelvoice/pms/{hotel_a}{suffix}", SecretString='{"token": "a"}'
    )
    binding = {"connector": "mews", "property_id": "svc-b", "secret_name": secret_b}
    admin_of_a = admin(plane, hotel_a)

    refused = put(plane, hotel_a, settings_body(0, unique_number(), pms=binding), admin_of_a)
    assert refused.status == 400, refused.body
    assert f"hotelvoice/pms/{hotel_a}" in refused.json()["error"]["message"]
    assert plane.api.request("GET", f"/v1/hotels/{hotel_a}/config", admin(plane)).status == 404
    own = binding | {"secret_name": f"hotelvoice/pms/{hotel_a}{suffix}"}
    answer = put(plane, hotel_a, settings_body(0, unique_number(), pms=own), admin_of_a)
    assert answer.status == (200 if suffix in ("", "/2026") else 400), answer.body
