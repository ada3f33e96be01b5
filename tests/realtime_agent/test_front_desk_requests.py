"""Requests for the front desk: read back first, recorded once after a yes, a reference given.

Unit tests of ``realtime_agent.front_desk_requests`` on a bare call state, and whole calls
through the production receptionist on the fallback policy against the local plane: the
request lands in the call record with the reference the caller heard, and a request or a
cancellation confirmed again after a reconnect (same call id) is recorded or done once.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any, cast

import httpx
import pytest

from hotelvoice.auth import Role
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.call_events import CALL_EVENT
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from hotelvoice.settings import get_settings
from realtime_agent.booking import spell_code
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_state import CallState
from realtime_agent.fallback.replies import replies_for
from realtime_agent.front_desk_requests import (
    REQUEST_TOOL,
    dialable,
    request_key,
    take_request,
)
from realtime_agent.pms_client import PmsClient
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import LocalServiceToken

CALLER = "+4915155500177"
SPELL = replies_for(HOTEL, "en").spell_letter


class Reporter:
    """Counts the requests the call record would get."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def front_desk_request(self, category: str, details: str, **fields: Any) -> str:
        self.requests.append({"category": category, "details": details, **fields})
        return f"{len(self.requests):06d}"


def call_state(language: str = "en") -> tuple[CallState, Reporter]:
    reporter = Reporter()
    state = CallState(
        call_id="call-requests-unit",
        hotel=HOTEL,
        pms=cast(PmsClient, None),
        language=language,
        caller_number=CALLER,
        events=cast(CallEventReporter, reporter),
    )
    return state, reporter


def say_yes(state: CallState) -> None:
    """What the receptionist does when the caller's next words are an explicit yes."""
    state.booking_confirmed, state.read_back = state.read_back, None


def test_the_first_call_reads_back_and_records_nothing() -> None:
    state, reporter = call_state()
    result = json.loads(take_request(state, "taxi", "a taxi at six tomorrow", "", SPELL))
    assert result["needs_confirmation"]
    assert not result["recorded"]
    assert result["callback_number"] == CALLER  # the caller's own number by default
    assert reporter.requests == []


def test_a_yes_records_the_request_once_with_a_spelled_reference() -> None:
    state, reporter = call_state("de")
    take_request(state, "wake_up", "Weckruf um sechs", "", SPELL)
    say_yes(state)
    first = take_request(state, "wake_up", "Weckruf um sechs", "", SPELL)
    again = take_request(state, "wake_up", "Weckruf  um sechs", "", SPELL)  # a second call
    result = json.loads(first)
    assert result["recorded"]
    assert result["reference"] == "000001"
    assert result["reference_spelled"] == spell_code("000001", "de", SPELL)
    assert "null" in result["reference_spelled"]  # digits in the caller's language
    assert again == first
    assert len(reporter.requests) == 1
    assert reporter.requests[0]["callback_number"] == CALLER


def test_without_the_yes_nothing_is_recorded() -> None:
    state, reporter = call_state()
    take_request(state, "billing", "charged twice", "", SPELL)
    state.read_back = None  # the caller said something else than yes
    result = json.loads(take_request(state, "billing", "charged twice", "", SPELL))
    assert not result["recorded"]
    assert reporter.requests == []


def test_a_yes_to_one_request_does_not_record_another() -> None:
    state, reporter = call_state()
    take_request(state, "taxi", "a taxi at six", "", SPELL)
    say_yes(state)
    result = json.loads(take_request(state, "taxi", "a taxi at seven", "", SPELL))
    assert not result["recorded"]
    assert reporter.requests == []


def test_another_callback_number_is_read_back_and_kept() -> None:
    state, reporter = call_state()
    read_back = json.loads(take_request(state, "spa", "a massage", "0151 2345678", SPELL))
    assert read_back["callback_number"] == "01512345678"
    assert read_back["callback_spoken"].startswith("zero one five one")
    say_yes(state)
    take_request(state, "spa", "a massage", "0151 2345678", SPELL)
    assert reporter.requests[0]["callback_number"] == "01512345678"


def test_an_unknown_category_is_other() -> None:
    state, _ = call_state()
    result = json.loads(take_request(state, "limousine", "a limousine", "", SPELL))
    assert result["category"] == "other"


@pytest.mark.parametrize(
    ("said", "stored"),
    [("+49 151 2345678", "+491512345678"), ("0151-234 5678", "01512345678"), ("", None)],
)
def test_callback_numbers_are_stored_as_digits(said: str, stored: str | None) -> None:
    assert dialable(said) == stored


def test_the_key_is_per_call_and_request() -> None:
    assert request_key("a", "taxi", "Taxi at six") == request_key("a", "taxi", "taxi  at six")
    assert request_key("a", "taxi", "taxi at six") != request_key("b", "taxi", "taxi at six")
    assert request_key("a", "taxi", "taxi at six") != request_key("a", "spa", "taxi at six")


def _tool_calls(transcript, name: str):
    return [c for t in transcript.turns for c in t.tool_calls if c.name == name]


async def test_a_taxi_request_reaches_the_call_record_with_the_reference_heard(plane, api_url):
    call_id = f"call-request-{uuid.uuid4().hex[:10]}"
    transcript = await run_scripted_call(
        [
            "Mi può prenotare un taxi per domani alle sei?",
            "prenda nota di una richiesta",
            "sì",
            "sì",
            "sì",  # a repeated yes records nothing more
            "no grazie",
        ],
        settings=get_settings(),
        credentials=LocalServiceToken(),
        today=plane.today,
        hotel_id=DEMO_HOTEL_ID,
        call_id=call_id,
        caller_number=CALLER,
        language="it",
    )
    calls = _tool_calls(transcript, REQUEST_TOOL)
    assert [json.loads(c.result)["recorded"] for c in calls] == [False, True]
    reference = json.loads(calls[-1].result)["reference"]
    agent = " ".join(t.text for t in transcript.turns if t.role == "agent")
    assert spell_code(reference, "it", replies_for(HOTEL, "it").spell_letter) in agent
    plane.drain()
    token = plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="front-desk-request-test")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{api_url}/v1/calls/{call_id}", headers={"authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    [request] = response.json()["requests"]
    assert (request["category"], request["reference"]) == ("taxi", reference)
    assert request["callback_number"] == CALLER


async def test_a_request_confirmed_again_after_a_reconnect_is_recorded_once(plane, api_url):
    """The agent reconnects mid-call (a new session, same call id, its event count from one
    again) and the caller's yes is heard again: the same reference, one record of it; a new
    request after the reconnect is recorded too, with its own reference."""
    call_id = f"call-request-{uuid.uuid4().hex[:10]}"
    taxi = ["Could you order me a taxi to the airport tomorrow at six?", "take a request", "yes"]
    wake_up = ["I would also like a wake-up call at seven", "take a request", "yes"]
    recorded: list[dict[str, Any]] = []
    sessions: list[list[str]] = []
    for said in ([*taxi, "yes"], [*wake_up, "yes", *taxi, "yes"]):  # the call, a reconnect
        transcript = await run_scripted_call(
            [*said, "no thanks"],
            settings=get_settings(),
            credentials=LocalServiceToken(),
            today=plane.today,
            hotel_id=DEMO_HOTEL_ID,
            call_id=call_id,
            caller_number=CALLER,
            language="en",
        )
        results = [json.loads(c.result) for c in _tool_calls(transcript, REQUEST_TOOL)]
        recorded += [r for r in results if r["recorded"]]
        sessions.append([t.role for t in transcript.turns])
    first, other, again = recorded
    assert again == first
    assert (first["category"], other["category"]) == ("taxi", "wake_up")
    assert other["reference"] != first["reference"]
    plane.drain()
    token = plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="front-desk-request-test")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{api_url}/v1/calls/{call_id}", headers={"authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    stored = sorted((r["category"], r["reference"]) for r in response.json()["requests"])
    assert stored == [("taxi", first["reference"]), ("wake_up", other["reference"])]
    # The second session numbered its turns from 0 again: none of them is lost or taken for
    # the first session's, and they follow the first session's in the record.
    turns = response.json()["turns"]
    assert [t["role"] for t in turns] == sessions[0] + sessions[1]
    assert [t["index"] for t in turns] == list(range(len(turns)))


def test_the_store_keeps_a_request_event_once_whenever_it_comes_again(plane) -> None:
    """A retried batch repeats the event's time; a reconnect repeats only its id."""
    call_id = f"call-request-{uuid.uuid4().hex[:10]}"
    store = CallRecordStore(plane.resources.refs["CallsTable"])

    def request(event_id: str, at: str) -> Any:
        return CALL_EVENT.validate_python(
            {
                "type": "call.request",
                "event_id": f"{call_id}:request:{event_id}",
                "call_id": call_id,
                "occurred_at": at,
                "category": "taxi",
                "details": "a taxi at six",
                "reference": "123456",
                "language": "en",
            }
        )

    assert store.apply(request("hv-request-a", "2026-01-01T10:00:00Z"))
    assert not store.apply(request("hv-request-a", "2026-01-01T10:00:00Z"))  # a retried batch
    assert not store.apply(request("hv-request-a", "2026-01-01T10:05:00Z"))  # after a reconnect
    assert store.apply(request("hv-request-b", "2026-01-01T10:06:00Z"))  # another request
    assert len(store.get(call_id).requests) == 2


async def _call(plane, call_id: str, said: list[str]):
    return await run_scripted_call(
        said,
        settings=get_settings(),
        credentials=LocalServiceToken(),
        today=plane.today,
        hotel_id=DEMO_HOTEL_ID,
        call_id=call_id,
        caller_number=CALLER,
        language="en",
    )


async def test_a_cancellation_confirmed_again_after_a_reconnect_cancels_once(plane, api_url):
    """A booking made on the phone is cancelled; the agent reconnects and the caller says the
    same yes again: the PMS cancels once and the call record shows one cancellation."""
    arrival = plane.today + timedelta(days=320)
    departure = arrival + timedelta(days=2)
    last = "Thornbury"  # the code found by the booking tells this booking apart
    stay = f"from {arrival:%B} {arrival.day} to {departure:%B} {departure.day}"
    made = await _call(
        plane,
        f"call-book-{uuid.uuid4().hex[:10]}",
        [
            f"A room for one adult {stay}",
            "the first one",
            f"my name is Ruth {last}",
            "ruth at example dot com",
            "yes",
            "yes",
            "no thanks",
            "yes",
            "no, goodbye",
        ],
    )
    [booked] = [json.loads(c.result) for c in _tool_calls(made, "book_room")][-1:]
    assert booked["booked"]
    code = booked["confirmation_code"]
    call_id = f"call-cancel-{uuid.uuid4().hex[:10]}"
    said = ["I want to cancel my booking", " ".join(code), last, "yes, cancel it", "bye"]
    first = await _call(plane, call_id, said)
    again = await _call(plane, call_id, said)  # the same call after a reconnect
    done = [json.loads(c.result) for c in _tool_calls(first, "cancel_reservation")]
    assert done[-1]["cancelled"]
    replayed = [json.loads(c.result) for c in _tool_calls(again, "cancel_reservation")]
    assert replayed  # the yes heard again finds the booking cancelled: nothing more done
    assert all(r["already_cancelled"] and not r["cancelled"] for r in replayed)
    plane.drain()
    token = plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="front-desk-request-test")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{api_url}/v1/calls/{call_id}", headers={"authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    bookings = response.json()["bookings"]
    assert [(b["action"], b["confirmation_code"]) for b in bookings] == [("cancelled", code)]
