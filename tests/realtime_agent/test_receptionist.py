"""The receptionist through ``AgentSession``: tools asserted, PMS answers real (local API).

Dialogue engines: the offline fallback policy, and the real ``openai`` client (through
livekit-plugins-openai) against a local server speaking the chat-completions wire format.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from livekit.agents import AgentSession, llm
from peers.openai_chat_peer import ChatCompletionsPeer, TextReply, ToolCall, ToolCallsReply

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, ROOM_TYPES, night_rate_minor, reservations
from hotelvoice.settings import get_settings
from local_mode.spoken import spoken_code, spoken_day
from realtime_agent.call_state import CallState
from realtime_agent.dialogue_engine import dialogue_engine
from realtime_agent.fallback.policy_llm import FallbackPolicyLLM
from realtime_agent.pms_client import PmsClient
from realtime_agent.receptionist import Receptionist


@asynccontextmanager
async def receptionist_session(plane, engine_factory) -> AsyncIterator[AgentSession]:
    settings = get_settings()
    pms = PmsClient(settings.api_url, plane.token(Role.SERVICE, subject="realtime-agent"))
    hotel = await pms.hotel_info(DEMO_HOTEL_ID)
    state = CallState(call_id="call-test", hotel=hotel, pms=pms)
    try:
        async with AgentSession(llm=engine_factory(hotel), userdata=state) as session:
            greeting = await session.start(
                Receptionist(hotel, plane.today, "Greet the caller."), capture_run=True
            )
            greeting.expect.skip_next_event_if(type="agent_handoff")
            greeting.expect.next_event().is_message(role="assistant")
            yield session
    finally:
        await pms.aclose()


def stay(plane, offset: int = 40, nights: int = 2):
    arrival = plane.today + timedelta(days=offset)
    return arrival, arrival + timedelta(days=nights)


def expected_total(room_code: str, arrival, nights: int) -> int:
    room = next(r for r in ROOM_TYPES if r.code == room_code)
    return sum(night_rate_minor(room, arrival + timedelta(days=n)) for n in range(nights))


def confirmed_booking(plane) -> dict:
    return next(
        r["reservation"]
        for r in reservations(plane.today)
        if r["reservation"]["status"] == "confirmed"
    )


def policy(plane):
    return lambda hotel: FallbackPolicyLLM(hotel, plane.today)


async def test_fallback_answers_availability_with_pms_prices(plane):
    arrival, departure = stay(plane)
    async with receptionist_session(plane, policy(plane)) as session:
        result = await session.run(
            user_input=f"do you have a room from {spoken_day(arrival)} to {spoken_day(departure)} "
            "for two adults"
        )
        result.expect.next_event().is_function_call(
            name="check_availability",
            arguments={
                "arrival": arrival.isoformat(),
                "departure": departure.isoformat(),
                "adults": 2,
                "children": 0,
            },
        )
        output = json.loads(
            result.expect.next_event().is_function_call_output().event().item.output
        )
        reply = result.expect.next_event().is_message(role="assistant").event().item.text_content
        result.expect.no_more_events()
    standard = next(o for o in output["offers"] if o["room_type"] == "Standard Double")
    total = expected_total("STD", arrival, 2)
    assert standard["total_minor"] == total
    assert f"{total / 100:,.2f}".replace(".00", "") + " euros" in reply


async def test_fallback_fills_missing_slots_before_calling_the_tool(plane):
    arrival, _ = stay(plane, offset=50)
    async with receptionist_session(plane, policy(plane)) as session:
        asked = await session.run(user_input="I need a room please")
        assert "arrive" in asked.expect.next_event().is_message().event().item.text_content
        asked.expect.no_more_events()
        asked = await session.run(user_input=spoken_day(arrival))
        assert "nights" in asked.expect.next_event().is_message().event().item.text_content
        asked = await session.run(user_input="for three nights")
        assert "adults" in asked.expect.next_event().is_message().event().item.text_content
        done = await session.run(user_input="just me")
        done.expect.next_event().is_function_call(
            name="check_availability",
            arguments={
                "arrival": arrival.isoformat(),
                "departure": (arrival + timedelta(days=3)).isoformat(),
                "adults": 1,
                "children": 0,
            },
        )


async def test_fallback_needs_code_and_last_name_and_refuses_a_wrong_name(plane):
    booking = confirmed_booking(plane)
    code = booking["confirmation_code"]
    async with receptionist_session(plane, policy(plane)) as session:
        asked = await session.run(user_input="i would like to check my reservation")
        asked.expect.next_event().is_message(role="assistant")
        asked.expect.no_more_events()
        asked = await session.run(user_input=f"my confirmation code is {spoken_code(code)}")
        assert "last name" in asked.expect.next_event().is_message().event().item.text_content
        refused = await session.run(user_input="my last name is Nobody")
        refused.expect.next_event().is_function_call(
            name="find_reservation", arguments={"confirmation_code": code, "last_name": "Nobody"}
        )
        output = json.loads(
            refused.expect.next_event().is_function_call_output().event().item.output
        )
        assert output["found"] is False
        assert set(output) == {"found", "attempts_left", "directive"}
        text = refused.expect.next_event().is_message().event().item.text_content
        assert booking["arrival"] not in text
        assert "could not find" in text
        # The retry asks for the code; the caller gives it and restates the name.
        found = await session.run(
            user_input=f"it is {spoken_code(code)}, my last name is {booking['guest_last_name']}"
        )
        found.expect.next_event().is_function_call(name="find_reservation")
        output = json.loads(found.expect.next_event().is_function_call_output().event().item.output)
        assert (output["arrival"], output["departure"]) == (
            booking["arrival"],
            booking["departure"],
        )


async def test_openai_wire_llm_drives_the_same_tools(plane):
    arrival, departure = stay(plane, offset=60, nights=3)
    args = {
        "arrival": arrival.isoformat(),
        "departure": departure.isoformat(),
        "adults": 2,
        "children": 0,
    }
    script = [
        TextReply("Hotel Aurora Berlin, how can I help?"),
        ToolCallsReply([ToolCall("check_availability", args)]),
        TextReply("We have rooms for you."),
    ]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:

        def engine(hotel):
            from livekit.plugins import openai as lk_openai

            return lk_openai.LLM(model="gpt-4o-mini", base_url=peer.base_url, api_key="test-key")

        async with receptionist_session(plane, engine) as session:
            result = await session.run(user_input="Any rooms for two adults in a few weeks?")
            result.expect.next_event().is_function_call(name="check_availability", arguments=args)
            output = json.loads(
                result.expect.next_event().is_function_call_output().event().item.output
            )
            result.expect.next_event().is_message(role="assistant")
        first, second = peer.chat_requests[-2:]
    tools = {t["function"]["name"] for t in first.json["tools"]}
    assert tools == {
        "check_availability",
        "find_reservation",
        "get_hotel_info",
        "book_room",
        "request_front_desk",
        "quote_cancellation",
        "cancel_reservation",
        "change_reservation",
    }
    tool_message = next(m for m in second.json["messages"] if m["role"] == "tool")
    assert json.loads(tool_message["content"])["offers"] == output["offers"]
    assert output["offers"][0]["total_minor"] > 0


async def test_llm_outage_hands_the_turn_to_the_fallback_policy(plane, monkeypatch):
    arrival, departure = stay(plane, offset=70)
    with ChatCompletionsPeer([], api_key="test-key") as peer:
        peer.fail_from_now(status=500)
        monkeypatch.setenv("HOTELVOICE_LLM_BASE_URL", peer.base_url)
        monkeypatch.setenv("HOTELVOICE_LLM_API_KEY", "test-key")
        get_settings.cache_clear()
        try:
            settings = get_settings()

            def engine(hotel):
                return dialogue_engine(settings, hotel, plane.today, "en")

            async with receptionist_session(plane, engine) as session:
                assert isinstance(session.llm, llm.FallbackAdapter)
                result = await session.run(
                    user_input=f"a room from {spoken_day(arrival)} to {spoken_day(departure)} "
                    "for two adults"
                )
                result.expect.next_event().is_function_call(name="check_availability")
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
        assert peer.chat_requests, "the LLM was tried first"
