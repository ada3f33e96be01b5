"""Side effects only on the caller's yes in their latest turn, and never twice in one turn.

The ledger's rules on their own, then through the receptionist on the LLM path (the wire
peer plays a model that misbehaves): a yes given one turn too early confirms nothing, and
the same side-effecting call twice in one turn runs once.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from peers.openai_chat_peer import ChatCompletionsPeer, TextReply, ToolCall, ToolCallsReply

from realtime_agent.side_effects import SIDE_EFFECT_TOOLS, TurnLedger
from tests.realtime_agent.test_booking import (
    one_adult_one_night,
    outputs,
    reservations_of,
    session_for,
)


async def test_the_same_call_twice_in_one_turn_runs_once_even_in_parallel():
    ledger, runs = TurnLedger(), []

    async def body() -> str:
        runs.append(1)
        await asyncio.sleep(0)  # let the parallel call arrive while this one runs
        return f"done {len(runs)}"

    ledger.new_turn()
    args = {"room": "1"}
    first, second = await asyncio.gather(
        ledger.run_once("book_room", args, body), ledger.run_once("book_room", args, body)
    )
    assert (first, second, len(runs)) == ("done 1", "done 1", 1)
    assert ledger.repeated("book_room", args)
    assert await ledger.run_once("book_room", {"room": "2"}, body) == "done 2"  # other details
    ledger.new_turn()  # the caller spoke again: the next call acts
    assert not ledger.repeated("book_room", args)
    assert await ledger.run_once("book_room", args, body) == "done 3"


async def test_a_failed_call_is_not_remembered():
    ledger = TurnLedger()

    async def fails() -> str:
        raise ValueError("not an e-mail address")

    async def works() -> str:
        return "ok"

    with pytest.raises(ValueError, match="e-mail"):
        await ledger.run_once("request_front_desk", {"details": "taxi"}, fails)
    assert await ledger.run_once("request_front_desk", {"details": "taxi"}, works) == "ok"


def test_every_side_effecting_tool_of_the_receptionist_is_guarded():
    from realtime_agent.receptionist import Receptionist

    # A renamed tool would slip out of the guard: each name is one of the agent's tools.
    assert {"book_room", "cancel_reservation", "change_reservation"} <= SIDE_EFFECT_TOOLS
    assert all(hasattr(Receptionist, name) for name in SIDE_EFFECT_TOOLS)


async def test_a_yes_one_turn_too_early_confirms_nothing(plane):
    last, check, book = one_adult_one_night(plane, 74, "Early")
    script = [
        TextReply("Hello."),
        ToolCallsReply([ToolCall("check_availability", check)]),
        TextReply("Rooms."),
        ToolCallsReply([ToolCall("book_room", book)]),
        TextReply("Read back. Shall I book it?"),
        TextReply("Breakfast is included."),  # the model answers the yes-turn's question
        ToolCallsReply([ToolCall("book_room", book)]),  # and books a turn later
        TextReply("Read back again."),
    ]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-early-{uuid.uuid4().hex[:8]}") as (s, _):
            await s.run(user_input="a room for one please")
            await s.run(user_input="book the cheapest")
            await s.run(user_input="yes, and is breakfast included?")
            late = await s.run(user_input="great thanks")
            [result] = outputs(late, "book_room")
    assert result["needs_confirmation"]
    assert reservations_of(plane, last) == []


async def test_a_read_back_twice_in_one_turn_is_one_read_back(plane):
    last, check, book = one_adult_one_night(plane, 76, "Twice")
    script = [
        TextReply("Hello."),
        ToolCallsReply([ToolCall("check_availability", check)]),
        TextReply("Rooms."),
        ToolCallsReply([ToolCall("book_room", book), ToolCall("book_room", book)]),
        TextReply("Read back. Shall I book it?"),
        ToolCallsReply([ToolCall("book_room", book)]),
        TextReply("Booked."),
    ]
    with ChatCompletionsPeer(script, api_key="test-key") as peer:
        async with session_for(plane, peer, f"call-twice-{uuid.uuid4().hex[:8]}") as (s, state):
            await s.run(user_input="a room for one please")
            asked = await s.run(user_input="book the cheapest")
            one, two = outputs(asked, "book_room")
            assert one == two
            assert one["needs_confirmation"]
            done = await s.run(user_input="yes")  # one yes answers the one read-back
            [booked] = outputs(done, "book_room")
    assert booked["booked"]
    assert len(reservations_of(plane, last)) == 1
    assert [c.name for c in state.tool_log].count("book_room") == 3  # each call is recorded


def test_the_llm_prompt_carries_the_fallbacks_booking_rules():
    from datetime import date

    from hotelvoice.pms.demo_hotel import HOTEL
    from realtime_agent.instructions import instructions_for

    prompt = instructions_for(HOTEL, date(2026, 12, 6))
    for rule in (
        "at most three rooms, cheapest first",
        "read back to the caller until they confirm it",
        "the number they call from",
        "special requests",
        "the total and the cancellation terms",
        "explicit yes to your read-back in their latest turn",
        "never call the same one twice in one turn",
        "never ask for a card",
        "how the hotel guarantees the booking",
    ):
        assert rule in prompt, rule
    for tool in SIDE_EFFECT_TOOLS:
        assert tool in prompt, tool
