"""Booking on the phone through ``book_room``: read back, explicit yes, one booking per key."""

from __future__ import annotations

import json
import uuid
from contextlib import asynccontextmanager

from livekit.agents import AgentSession
from peers.openai_chat_peer import ChatCompletionsPeer, TextReply, ToolCall, ToolCallsReply

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.booking import spell_code
from realtime_agent.call_state import CallState
from realtime_agent.fallback.replies import replies_for
from realtime_agent.pms_client import PmsClient
from realtime_agent.receptionist import Receptionist
from tests.realtime_agent.test_receptionist import stay


@asynccontextmanager
async def session_for(plane, peer, call_id: str):
    from livekit.agents import APIConnectOptions
    from livekit.agents.voice.agent_session import SessionConnectOptions
    from livekit.plugins import openai as lk_openai

    settings = get_settings()
    pms = PmsClient(settings.api_url, plane.token(Role.SERVICE, subject="realtime-agent"))
    hotel = await pms.hotel_info(DEMO_HOTEL_ID)
    state = CallState(
        call_id=call_id, hotel=hotel, pms=pms, caller_number="+4915155500199", today=plane.today
    )
    engine = lk_openai.LLM(model="gpt-4o-mini", base_url=peer.base_url, api_key="test-key")
    try:
        # A scripted model must never see a retry: a retried request would take the next
        # scripted answer, and a busy machine can be slower than the default 10 s timeout.
        patient = SessionConnectOptions(
            llm_conn_options=APIConnectOptions(max_retry=0, timeout=120.0)
        )
        async with AgentSession(llm=engine, userdata=state, conn_options=patient) as session:
            # The greeting is answered before the caller's first turn (else the two race
            # for the peer's scripted replies).
            greeting = await session.start(
                Receptionist(hotel, plane.today, "Greet the caller."), capture_run=True
            )
            await greeting
            yield session, state
    finally:
        await pms.aclose()


def one_adult_one_night(plane, offset: int, name: str) -> tuple[str, dict, dict]:
    """A fresh guest's last name, and the tool arguments to price and book their night."""
    arrival, departure = stay(plane, offset=offset, nights=1)
    last = f"{name}{uuid.uuid4().hex[:6]}"
    check = {"arrival": arrival.isoformat(), "departure": departure.isoformat()}
    check |= {"adults": 1, "children": 0}
    book = {"room": "1", "first_name": "Bo", "last_name": last, "email": "bo@example.com"}
    return last, check, book


def reservations_of(plane, last_name: str) -> list[dict]:
    items = plane.table("PmsTable").scan()["Items"]
    return [i for i in items if last_name.lower() in json.dumps(i, default=str).lower()]


def outputs(result, name: str) -> list[dict]:
    return [
        json.loads(e.item.output)
        for e in result.events
        if e.type == "function_call_output" and e.item.name == name
    ]


async def test_book_room_twice_in_a_turn_and_after_a_reconnect_books_once(plane):
    arrival, departure = stay(plane, offset=70, nights=2)
    last = f"Booktest{uuid.uuid4().hex[:6]}"
    check = {"arrival": arrival.isoformat(), "departure": departure.isoformat()}
    check |= {"adults": 2, "children": 0}
    book = {
        "room": "Standard Double",
        "first_name": "Anna",
        "last_name": last,
        "email": "anna.smith@example.com",
        "phone": "",
        "notes": "",
    }
    availability = [ToolCallsReply([ToolCall("check_availability", check)]), TextReply("Rooms.")]
    read_back = [ToolCallsReply([ToolCall("book_room", book)]), TextReply("Read back. Yes?")]
    script = [TextReply("Hello."), *availability, *read_back]
    script += [ToolCallsReply([ToolCall("book_room", book), ToolCall("book_room", book)])]
    script += [TextReply("Booked.")]
    call_id = f"call-booking-{uuid.uuid4().hex[:8]}"
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, call_id) as (session, state):
            await session.run(user_input="rooms for two adults please")
            first = await session.run(user_input="book the standard double for Anna")
            [pending] = outputs(first, "book_room")
            assert pending["needs_confirmation"]
            assert not pending["booked"]
            assert pending["phone"] == "+4915155500199"  # the caller's number by default
            assert pending["cancellation_terms"]
            assert reservations_of(plane, last) == []  # nothing booked before the yes
            done = await session.run(user_input="yes")
            one, two = outputs(done, "book_room")
    assert one == two
    assert one["booked"]
    code = one["confirmation_code"]
    assert one["code_spelled"] == spell_code(
        code, "en", replies_for(state.hotel, "en").spell_letter
    )
    script = [TextReply("Hello again."), *availability, *read_back]
    script += [ToolCallsReply([ToolCall("book_room", book)]), TextReply("Booked.")]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, call_id) as (session, state):  # a reconnect
            await session.run(user_input="rooms for two adults please")
            await session.run(user_input="book it")
            again = await session.run(user_input="yes please")
            [after] = outputs(again, "book_room")
    assert after["booked"]
    assert after["confirmation_code"] == code
    assert len(reservations_of(plane, last)) == 1


async def test_book_room_refuses_without_an_explicit_yes(plane):
    last, check, book = one_adult_one_night(plane, 72, "Noyes")
    script = [
        TextReply("Hello."),
        ToolCallsReply([ToolCall("check_availability", check)]),
        TextReply("Rooms."),
        ToolCallsReply([ToolCall("book_room", book)]),
        TextReply("Read back."),
        ToolCallsReply([ToolCall("book_room", book)]),  # the model skips the caller's yes
        TextReply("Read back again."),
    ]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-noyes-{uuid.uuid4().hex[:8]}") as (s, _):
            await s.run(user_input="a room for one tonight")
            await s.run(user_input="book the cheapest")
            no = await s.run(user_input="hmm what does breakfast cost")
            [result] = outputs(no, "book_room")
    assert result["needs_confirmation"]
    assert not result["booked"]
    assert reservations_of(plane, last) == []


def test_codes_are_spelled_in_the_callers_language():
    assert spell_code("HV40-1", "de", "{} wie {}".format) == (
        "H wie Heinrich, V wie Viktor, vier, null, Bindestrich, eins"
    )
    assert spell_code("A1", "it", "{} come {}".format) == "A come Ancona, uno"
