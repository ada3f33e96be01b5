"""Whole calls for hotels on Apaleo, Mews and OPERA, answered from the vendor's own mock.

The connector tests beside this file drive each connector directly; these drive it the way a
guest does: a hotel is configured through the API with the vendor's connector (its secret in
Secrets Manager, its property id), the PMS base URL points at the harness's guarded Prism mock,
and a scripted call runs the production receptionist (fallback dialogue) against the local
control plane. So the configuration, the registry's choice of connector, the secret, the PMS
function, the agent's client and the dialogue are all in the path between the vendor's answer
and what the caller hears. Prism answers with the description's examples whatever is asked:
the totals quoted and the reservation found are those examples (see each vendor's contract
test). A request the vendor's description refuses fails the test (the harness's guard), and
without the descriptions or Prism the tests skip.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.pms.registry import forget_config
from hotelvoice.settings import get_settings
from local_mode.control_plane import LocalControlPlane
from local_mode.spoken import spoken_day
from pms_contract.pms_mock import PmsMock
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.tool_results import spoken_date, spoken_money
from realtime_agent.transcript import CallTranscript, ToolCallView

PMS_TIMEOUT_S = 20.0
"""Per vendor request: Prism on the 1.2 MB OPERA description is slow on a busy 2-core runner."""
AGENT_TIMEOUT_S = 60.0
"""The agent's wait for our API, which waits for the vendor mock (retries included)."""
NEVER_HOLD_S = 120.0
"""No holding line: a slow mock must not add an agent turn to one call and not the other."""
PARTY = {1: "one", 2: "two"}


@dataclass(frozen=True)
class Vendor:
    """One vendor's hotel and what its description's examples answer."""

    connector: str
    property_id: str
    secret: dict[str, str]
    url_keys: tuple[str, ...]
    """Keys of ``HOTELVOICE_PMS_BASE_URLS`` that point at the mock."""
    today: date
    """The call's day: the examples' stays must lie ahead of it."""
    arrival: date
    departure: date
    adults: int
    """A party the examples' room types take (Apaleo's example rooms hold one person)."""
    totals_minor: tuple[int, ...]
    """The example offers' gross totals (EUR cents)."""
    offers_path: str
    """Where the vendor is asked for them."""
    code: str
    """The example reservation's confirmation number, in the vendor's own format."""
    code_said: str
    wrong_code_said: str
    first_name: str
    last_name: str
    stay: tuple[date, date]
    room_type: str
    total_minor: int


APALEO = Vendor(
    connector="apaleo",
    property_id="MUC",
    secret={"client_id": "HVTEST-AC-HOTELVOICE", "client_secret": "s3cret-from-apaleo"},
    url_keys=("apaleo", "apaleo_identity"),
    today=date(2026, 6, 1),
    arrival=date(2026, 7, 1),
    departure=date(2026, 7, 3),
    adults=1,
    totals_minor=(21400, 32100),
    offers_path="/booking/v1/offers",
    code="XPGMSXGF-1",
    code_said="my booking reference is X P G M S X G F dash one",
    wrong_code_said="my booking reference is X P G M S X G Q dash one",
    first_name="Jon",
    last_name="Doe",
    stay=(date(2021, 6, 30), date(2021, 7, 2)),
    room_type="Standard",
    total_minor=22200,
)
MEWS = Vendor(
    connector="mews",
    property_id="bd26d8db-86da-4f96-9efc-e5a4654a4a94",
    secret={
        "client_token": "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D",
        "access_token": "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D",
        "client": "hotelvoice 1.0",
        "rates": "ed4b660b-19d0-434b-9360-a4de2ea42eda=Best available rate",
    },
    url_keys=("mews",),
    # The example counts rooms for the nights from 1 February 2024 only (local time units).
    today=date(2024, 1, 15),
    arrival=date(2024, 2, 1),
    departure=date(2024, 2, 3),
    adults=2,
    totals_minor=(20000,),
    offers_path="/services/getAvailability/",
    code="52",
    code_said="my reservation number is fifty two",
    wrong_code_said="my reservation number is fifty three",
    first_name="John",
    last_name="Smith",
    stay=(date(2023, 4, 23), date(2023, 4, 25)),
    room_type="Double Room",
    total_minor=20000,
)
OPERA = Vendor(
    connector="opera",
    property_id="HVDEMO",
    secret={
        "client_id": "hotelvoice-contract",
        "client_secret": "not-a-real-secret",
        "app_key": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",  # OPERA wants a UUID v4
        "enterprise_id": "HVENT",
    },
    url_keys=("opera",),  # a loopback gateway passes the EU-region check
    today=date(2026, 6, 1),
    arrival=date(2026, 7, 1),
    departure=date(2026, 7, 3),
    adults=2,
    totals_minor=(28000, 36000),
    offers_path="/par/v1/hotels/HVDEMO/availability",
    code="813595",
    code_said="my confirmation number is eight one three five nine five",
    wrong_code_said="my confirmation number is eight one three five nine six",
    first_name="Jennifer",
    last_name="Clarke",
    stay=(date(2026, 7, 1), date(2026, 7, 3)),
    room_type="Deluxe King",
    total_minor=36000,
)
VENDORS = {v.connector: v for v in (APALEO, MEWS, OPERA)}
WRONG_LAST_NAME = "Fairweather"


@pytest.fixture(params=sorted(VENDORS))
def vendor(request: pytest.FixtureRequest) -> Vendor:
    """Each test once per connector: the same call must work whichever PMS the hotel has."""
    return VENDORS[request.param]


@pytest.fixture
def mock(request: pytest.FixtureRequest, vendor: Vendor) -> PmsMock:
    """The vendor's guarded mock, as a test argument so the guard fails the call phase too."""
    started: PmsMock = request.getfixturevalue(f"{vendor.connector}_mock")
    return started


@pytest.fixture
def hotel(
    plane: LocalControlPlane, vendor: Vendor, mock: PmsMock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A new hotel configured with the vendor's connector, its PMS being the mock.

    Everything the PMS function reads goes the production way: the hotel's configuration
    (written through the API, which checks the secret exists), the secret, and the base URL
    from the settings. The environment is put back afterwards (``monkeypatch``, then the
    settings cache is emptied by the suite's autouse fixture).
    """
    hotel_id = f"{vendor.connector}-call-{uuid.uuid4().hex[:8]}"
    secret_name = f"hotelvoice/pms/{hotel_id}"
    aws.client("secretsmanager").create_secret(
        Name=secret_name, SecretString=json.dumps(vendor.secret)
    )
    monkeypatch.setenv(
        "HOTELVOICE_PMS_BASE_URLS", json.dumps(dict.fromkeys(vendor.url_keys, mock.url))
    )
    monkeypatch.setenv("HOTELVOICE_PMS_TIMEOUT_S", str(PMS_TIMEOUT_S))
    monkeypatch.setenv("HOTELVOICE_PMS_BUDGET_S", str(3 * PMS_TIMEOUT_S))
    get_settings.cache_clear()
    admin = plane.token(Role.ADMIN, [hotel_id], subject="connector-calls-test")
    config = {
        "version": 0,
        "dialled_numbers": ["+4989" + str(uuid.uuid4().int)[:8]],
        "front_desk": "+49 89 5550 1000",
        "pms": {
            "connector": vendor.connector,
            "property_id": vendor.property_id,
            "secret_name": secret_name,
        },
    }
    written = plane.api.request(
        "PUT",
        f"/v1/hotels/{hotel_id}/config",
        {"authorization": f"Bearer {admin}", "content-type": "application/json"},
        json.dumps(config),
    )
    assert written.status == 200, written.body
    forget_config(hotel_id)
    yield hotel_id
    forget_config(hotel_id)


async def call(vendor: Vendor, hotel_id: str, steps: list[str]) -> CallTranscript:
    """A scripted English call to the hotel, on the vendor example's day."""
    settings = get_settings().model_copy(
        update={"api_timeout_s": AGENT_TIMEOUT_S, "holding_line_after_s": NEVER_HOLD_S}
    )
    return await run_scripted_call(
        steps,
        settings=settings,
        credentials=LocalServiceToken(),
        today=vendor.today,
        hotel_id=hotel_id,
        language="en",
        report_events=False,
    )


def tool_calls(transcript: CallTranscript, name: str) -> list[ToolCallView]:
    return [c for t in transcript.turns for c in t.tool_calls if c.name == name]


def agent_lines(transcript: CallTranscript) -> list[str]:
    return [t.text for t in transcript.turns if t.role == "agent"]


def lookup_steps(code_said: str, last_name: str) -> list[str]:
    return ["I want to check my booking", code_said, last_name]


def reservation_traces(vendor: Vendor) -> list[str]:
    """What a disclosure of the example reservation would contain, in any form said."""
    arrival, departure = vendor.stay
    return [
        vendor.first_name,
        vendor.last_name,
        vendor.room_type,
        arrival.isoformat(),
        departure.isoformat(),
        spoken_date(arrival, "en"),
        spoken_date(departure, "en"),
        spoken_money(vendor.total_minor, "EUR", "en"),
    ]


async def test_availability_is_answered_with_the_pms_totals(
    vendor: Vendor, mock: PmsMock, hotel: str
) -> None:
    """The caller hears the vendor's own gross totals, never a price we made up."""
    asked = (
        f"do you have a room from {spoken_day(vendor.arrival)} "
        f"to {spoken_day(vendor.departure)} for {PARTY[vendor.adults]}"
    )

    transcript = await call(vendor, hotel, [asked])

    (check,) = tool_calls(transcript, "check_availability")
    assert check.ok, check.result
    assert check.arguments["arrival"] == vendor.arrival.isoformat()
    assert check.arguments["departure"] == vendor.departure.isoformat()
    offers = json.loads(check.result)["offers"]
    assert sorted(o["total_minor"] for o in offers) == list(vendor.totals_minor)
    answer = agent_lines(transcript)[-1]
    for total in vendor.totals_minor:
        assert spoken_money(total, "EUR", "en") in answer, answer
    assert any(vendor.offers_path in r.path for r in mock.requests), "asked the vendor's mock"


async def test_a_reservation_is_found_by_its_number_and_last_name(
    vendor: Vendor, mock: PmsMock, hotel: str
) -> None:
    """A code in the vendor's own format, as a caller says it, reaches the vendor and back."""
    transcript = await call(vendor, hotel, lookup_steps(vendor.code_said, vendor.last_name))

    (lookup,) = tool_calls(transcript, "find_reservation")
    assert lookup.arguments == {"confirmation_code": vendor.code, "last_name": vendor.last_name}
    assert lookup.ok, lookup.result
    found = json.loads(lookup.result)
    assert found["found"] is True
    assert found["confirmation_code"] == vendor.code
    assert found["guest_name"] == f"{vendor.first_name} {vendor.last_name}"
    assert (found["arrival"], found["departure"]) == tuple(d.isoformat() for d in vendor.stay)
    assert found["room_type"] == vendor.room_type
    answer = agent_lines(transcript)[-1]
    for said in (vendor.code, vendor.room_type, spoken_date(vendor.stay[0], "en")):
        assert said in answer, answer
    assert transcript.verified_reservation == vendor.code
    assert any("reservations" in r.path for r in mock.requests)


async def test_a_wrong_last_name_discloses_nothing_and_sounds_like_a_wrong_code(
    vendor: Vendor, mock: PmsMock, hotel: str
) -> None:
    """The vendor answers with the reservation; the connector must keep all of it back.

    And the caller must not learn that the code exists: a wrong code gets the same result
    and the same words.
    """
    wrong_name = await call(vendor, hotel, lookup_steps(vendor.code_said, WRONG_LAST_NAME))
    asked_vendor = sum(1 for r in mock.requests if "reservations" in r.path)
    wrong_code = await call(vendor, hotel, lookup_steps(vendor.wrong_code_said, vendor.last_name))

    (lookup,) = tool_calls(wrong_name, "find_reservation")
    assert lookup.arguments == {"confirmation_code": vendor.code, "last_name": WRONG_LAST_NAME}
    assert asked_vendor, "the vendor was asked (and answered with its example reservation)"
    assert lookup.ok, lookup.result
    assert json.loads(lookup.result)["found"] is False
    assert wrong_name.verified_reservation is None
    results = [c.result for t in wrong_name.turns for c in t.tool_calls]
    heard = " ".join(agent_lines(wrong_name) + results)
    leaked = [t for t in reservation_traces(vendor) if t.casefold() in heard.casefold()]
    assert leaked == [], heard

    (other,) = tool_calls(wrong_code, "find_reservation")
    assert other.arguments["confirmation_code"] != vendor.code
    assert other.result == lookup.result, "a wrong name and a wrong code: the same result"
    assert agent_lines(wrong_code) == agent_lines(wrong_name), "and the same words"
