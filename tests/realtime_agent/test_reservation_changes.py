"""Changes and cancellations on the phone: verified first, read back, explicit yes, once."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from livekit.agents import ToolError
from peers.openai_chat_peer import ChatCompletionsPeer, TextReply, ToolCall, ToolCallsReply

from hotelvoice.auth import Role
from hotelvoice.contracts.pms import (
    BookingRequest,
    GuestDetails,
    Reservation,
    ReservationLookup,
    ReservationStatus,
)
from hotelvoice.errors import SoldOut, Unavailable
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent import reservation_changes
from realtime_agent.call_state import CallState
from realtime_agent.pms_client import PmsClient
from tests.realtime_agent.test_booking import outputs, session_for
from tests.realtime_agent.test_pms_client_errors import availability, error
from tests.realtime_agent.test_receptionist import stay


class Events:
    """Records what the tools report to the call record."""

    def __init__(self) -> None:
        self.known_names: set[str] = set()
        self.bookings: list[tuple[str, str, dict[str, Any]]] = []

    def booking(self, action: str, code: str, **facts: Any) -> None:
        self.bookings.append((action, code, facts))

    def tool(self, *_: Any, **__: Any) -> None:
        """Tool calls are not what these tests look at."""


async def book(
    plane, offset: int, nights: int = 2, adults: int = 2, *, also: tuple[date, date] | None = None
) -> tuple[str, str]:
    """A fresh booking of this test's own (code, last name): no seeded guest is touched.

    ``also``: a stay the room type must be free for too (the demo's rooms vary by night).
    """
    pms = PmsClient(get_settings().api_url, plane.token(Role.SERVICE, subject="realtime-agent"))
    arrival, departure = stay(plane, offset=offset, nights=nights)
    last = f"Change{uuid.uuid4().hex[:6]}"
    try:
        found = await pms.availability(DEMO_HOTEL_ID, arrival, departure, adults)
        offers = found.offers
        if also is not None:
            free = await pms.availability(DEMO_HOTEL_ID, *also, adults)
            names = {o.room_type_name for o in free.offers}
            offers = [o for o in offers if o.room_type_name in names]
        if not offers:
            raise LookupError("no room type is free for both stays")
        offer = min(offers, key=lambda o: o.total.amount_minor)
        request = BookingRequest(
            stay=found.query,
            offer_id=offer.offer_id or "",
            guest=GuestDetails(first_name="Ada", last_name=last, email="ada@example.com"),
        )
        made = await pms.create_booking(DEMO_HOTEL_ID, request, f"test-{uuid.uuid4().hex}")
    finally:
        await pms.aclose()
    return made.reservation.confirmation_code, last


def stored(plane, code: str) -> dict[str, Any]:
    items = plane.table("PmsTable").scan()["Items"]
    [item] = [i for i in items if i.get("sk") == f"RES#{code}"]
    return item["reservation"]


def cancellations_of(plane, code: str) -> list[dict[str, Any]]:
    """The demo PMS's idempotency items that record a cancellation of ``code``."""
    items = plane.table("PmsTable").scan()["Items"]
    return [
        i
        for i in items
        if str(i.get("sk", "")).startswith("IDEMP#")
        and "cancellation" in i.get("result", {})
        and code in json.dumps(i, default=str)
    ]


def find(code: str, last: str) -> ToolCallsReply:
    return ToolCallsReply(
        [ToolCall("find_reservation", {"confirmation_code": code, "last_name": last})]
    )


async def test_cancel_twice_in_a_turn_and_after_a_reconnect_cancels_once(plane):
    code, last = await book(plane, offset=80)
    cancel = ToolCall("cancel_reservation", {})
    script = [TextReply("Hello."), find(code, last), TextReply("Found it.")]
    script += [ToolCallsReply([cancel]), TextReply("It is free. Cancel it?")]
    script += [ToolCallsReply([cancel, cancel]), TextReply("Cancelled.")]
    call_id = f"call-cancel-{uuid.uuid4().hex[:8]}"
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, call_id) as (session, state):
            state.events = Events()  # type: ignore[assignment]
            await session.run(user_input=f"my booking {code}, {last}")
            quoted = await session.run(user_input="I want to cancel it")
            [quote] = outputs(quoted, "cancel_reservation")
            assert quote["needs_confirmation"]
            assert not quote["cancelled"]
            assert quote["free"]
            assert (
                quote["free_until"] == (plane.today + timedelta(days=79)).isoformat()
            )  # eve of arrival
            assert stored(plane, code)["status"] == "confirmed"  # nothing before the yes
            done = await session.run(user_input="yes please")
            one, two = outputs(done, "cancel_reservation")
            events = state.events.bookings  # type: ignore[union-attr]
    assert one == two
    assert one["cancelled"]
    assert one["fee_minor"] == 0
    assert stored(plane, code)["status"] == "cancelled"
    assert [(a, c) for a, c, _ in events] == [("cancelled", code)]
    script = [TextReply("Hello again."), find(code, last), TextReply("Found it.")]
    script += [ToolCallsReply([cancel]), TextReply("Already cancelled.")]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, call_id) as (session, state):  # a reconnect
            await session.run(user_input=f"my booking {code}, {last}")
            again = await session.run(user_input="cancel it, yes")
            [after] = outputs(again, "cancel_reservation")
    assert after["already_cancelled"]
    assert not after["cancelled"]
    assert len(cancellations_of(plane, code)) == 1
    # The same key, sent again (a lost answer retried), answers the first cancellation.
    pms = PmsClient(get_settings().api_url, plane.token(Role.SERVICE, subject="realtime-agent"))
    try:
        key = reservation_changes.change_key(call_id, "cancel", code)
        lookup = ReservationLookup(confirmation_code=code, last_name=last)
        retried = await pms.cancel(DEMO_HOTEL_ID, lookup, key)
    finally:
        await pms.aclose()
    assert retried.status is ReservationStatus.CANCELLED
    assert len(cancellations_of(plane, code)) == 1


async def test_no_explicit_yes_cancels_nothing(plane):
    code, last = await book(plane, offset=82)
    cancel = ToolCall("cancel_reservation", {})
    script = [TextReply("Hello."), find(code, last), TextReply("Found it.")]
    script += [ToolCallsReply([cancel]), TextReply("Free. Cancel it?")]
    script += [ToolCallsReply([cancel]), TextReply("Asked again.")]  # the model skips the yes
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-noyes-{uuid.uuid4().hex[:8]}") as (s, _):
            await s.run(user_input=f"booking {code}, name {last}")
            await s.run(user_input="cancel my booking")
            no = await s.run(user_input="no, wait, what is the fee exactly")
            [result] = outputs(no, "cancel_reservation")
    assert result["needs_confirmation"]
    assert not result["cancelled"]
    assert stored(plane, code)["status"] == "confirmed"
    assert cancellations_of(plane, code) == []


async def test_a_change_is_requoted_read_back_and_made_after_the_yes(plane):
    for offset in range(84, 130, 2):  # a room type free for the booked and the new stay
        arrival, departure = stay(plane, offset=offset + 1, nights=2)
        try:
            code, last = await book(plane, offset=offset, also=(arrival, departure))
            break
        except LookupError:
            continue
    move = ToolCall(
        "change_reservation", {"arrival": arrival.isoformat(), "departure": departure.isoformat()}
    )
    script = [TextReply("Hello."), find(code, last), TextReply("Found it.")]
    script += [ToolCallsReply([move]), TextReply("New total. Change it?")]
    script += [ToolCallsReply([move, move]), TextReply("Changed.")]
    script += [ToolCallsReply([move]), TextReply("It is changed.")]  # a yes said again
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-move-{uuid.uuid4().hex[:8]}") as (s, state):
            state.events = Events()  # type: ignore[assignment]
            await s.run(user_input=f"booking {code}, {last}")
            asked = await s.run(user_input="can we stay three nights from the day after")
            [quote] = outputs(asked, "change_reservation")
            assert quote["needs_confirmation"], quote
            assert not quote["changed"]
            assert stored(plane, code)["arrival"] != arrival.isoformat()
            done = await s.run(user_input="yes")
            one, two = outputs(done, "change_reservation")
            repeated = await s.run(user_input="yes, I said yes")
            [three] = outputs(repeated, "change_reservation")
            events = state.events.bookings  # type: ignore[union-attr]
    assert one == two == three
    assert one["changed"]
    assert one["total_minor"] == quote["total_minor"]  # the price read back is the one made
    now = stored(plane, code)
    assert (now["arrival"], now["departure"]) == (arrival.isoformat(), departure.isoformat())
    assert [(a, c) for a, c, _ in events] == [("changed", code)]


async def test_a_refused_change_is_relayed_with_the_pms_reason(plane):
    code, last = await book(plane, offset=88)
    cancel = ToolCall("cancel_reservation", {})
    later = (plane.today + timedelta(days=89)).isoformat()
    move = ToolCall("change_reservation", {"arrival": later})
    script = [TextReply("Hello."), find(code, last), TextReply("Found.")]
    script += [ToolCallsReply([cancel]), TextReply("Cancel?")]
    script += [ToolCallsReply([cancel]), TextReply("Cancelled.")]
    script += [ToolCallsReply([move]), TextReply("Move?"), ToolCallsReply([move])]
    script += [TextReply("Refused.")]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-refused-{uuid.uuid4().hex[:8]}") as (s, _):
            await s.run(user_input=f"booking {code}, {last}")
            await s.run(user_input="cancel it")
            await s.run(user_input="yes")
            await s.run(user_input="actually, move it a day later instead")
            refused = await s.run(user_input="yes")
            [error] = [
                e.item
                for e in refused.events
                if e.type == "function_call_output" and e.item.name == "change_reservation"
            ]
    assert error.is_error
    answer = json.loads(error.output)
    assert answer["error"] == "refused_by_pms"
    assert "cancelled" in answer["reason"]
    assert stored(plane, code)["status"] == "cancelled"


def _state(plane) -> CallState:
    return CallState(call_id="call-unverified", hotel=None, pms=None, today=plane.today)  # type: ignore[arg-type]


async def test_only_a_reservation_verified_in_this_call_is_touched(plane):
    state = _state(plane)
    for tool in (reservation_changes.cancel_reservation, reservation_changes.quote_cancellation):
        with pytest.raises(ToolError, match="find_reservation"):
            await tool(state)
    with pytest.raises(ToolError, match="find_reservation"):
        await reservation_changes.change_reservation(state, "2030-01-01", "", 0, -1)


def test_a_change_keeps_what_the_caller_did_not_change(plane):
    arrival, departure = stay(plane, offset=40, nights=2)
    booked = Reservation(
        confirmation_code="HV1234",
        guest_first_name="Ada",
        guest_last_name="Lovelace",
        arrival=arrival,
        departure=departure,
        room_type_name="Standard Double",
        adults=2,
        children=0,
        status=ReservationStatus.CONFIRMED,
        total={"amount_minor": 30000, "currency": "EUR"},
    )
    moved = reservation_changes.new_stay(
        booked, (arrival + timedelta(days=3)).isoformat(), "", 0, -1
    )
    assert (moved.departure - moved.arrival).days == 2  # the nights stay
    assert moved.adults == 2
    three = reservation_changes.new_stay(booked, "", "", 3, -1)
    assert (three.arrival, three.departure, three.adults) == (arrival, departure, 3)
    same = reservation_changes.new_stay(booked, arrival.isoformat(), "", 2, 0)
    assert reservation_changes.as_booked(booked, same)
    assert not reservation_changes.as_booked(booked, three)


def test_the_key_is_the_calls_the_reservations_and_the_changes():
    key = reservation_changes.change_key
    assert key("c1", "cancel", "HV1") == key("c1", "cancel", "HV1")
    assert key("c1", "cancel", "HV1") != key("c2", "cancel", "HV1")
    assert key("c1", "cancel", "HV1") != key("c1", "cancel", "HV2")
    # There, back and there again are three changes; a retry (same sequence) is the first.
    assert key("c1", "change", "HV1", sequence=0) != key("c1", "change", "HV1", sequence=2)


async def test_a_room_sold_meanwhile_is_an_answer_and_other_conflicts_an_outage():
    with pytest.raises(SoldOut):
        await availability(lambda _: error(409, "sold_out", "that room was just sold"))
    with pytest.raises(Unavailable):
        await availability(lambda _: error(409, "conflict", "version mismatch"))


async def test_a_quote_alone_says_the_deadline_and_arms_nothing(plane):
    code, last = await book(plane, offset=90)
    quote = ToolCall("quote_cancellation", {})
    cancel = ToolCall("cancel_reservation", {})
    script = [TextReply("Hello."), find(code, last), TextReply("Found.")]
    script += [ToolCallsReply([quote]), TextReply("Free until then.")]
    script += [ToolCallsReply([cancel]), TextReply("Cancel?")]  # a yes to a quote is no yes
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-quote-{uuid.uuid4().hex[:8]}") as (s, _):
            await s.run(user_input=f"booking {code}, {last}")
            asked = await s.run(user_input="what would it cost to cancel?")
            [said] = outputs(asked, "quote_cancellation")
            after = await s.run(user_input="yes")
            [result] = outputs(after, "cancel_reservation")
    assert said["free"]
    assert said["free_until"] == (plane.today + timedelta(days=89)).isoformat()  # eve of arrival
    assert not said["needs_confirmation"]
    assert result["needs_confirmation"]
    assert stored(plane, code)["status"] == "confirmed"
