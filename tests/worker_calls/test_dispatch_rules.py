"""Calls in the rooms and with the callers each LiveKit SIP dispatch rule makes.

The worker must not care how the room is named: individual rules put the caller's number in
it (``call-_+4917612345678_aBcD…``), a direct rule gives every call the same name, a callee
rule names it after the hotel's number. Nor may it need the caller's number: callers
withhold it (``anonymous``), and a rule that hides numbers leaves both numbers out and hashes
the caller's identity (then the rule's ``hotelvoice.dialledNumber`` attribute names the
hotel). Rooms and callers come from ``peers/livekit_sip_dispatch.py``, which mirrors
livekit/protocol's ``EvaluateDispatchRule``.

Each call runs greeting → key 0 → the front desk (the individual rule's call asks for a room
first, and is answered with the PMS's prices), and its record is filed under the room's
SID, the caller known (by a keyed hash) only where the line gave their number.
"""

from __future__ import annotations

import time

import httpx
import pytest
from agent_speech import says
from call_hotels import assert_transferred
from livekit.protocol import agent as agent_pb
from peers.livekit_sip_dispatch import WITHHELD, DispatchRule
from rig import CALLER_NUMBER, WorkerRig, agent_lines

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.replies import Replies, call_failed_apology
from realtime_agent.sip_caller import DIALLED_NUMBER_ATTRIBUTE

EN = Replies(HOTEL, "en")
SOON_S = 10.0
LINE_QUIET_S = 2.5
QUESTION = "Do you have a double room for two nights from tomorrow for two adults"
HIDING = DispatchRule(hide_phone_number=True)

RULES: dict[str, tuple[DispatchRule, str, dict[str, str]]] = {
    "individual": (DispatchRule(), CALLER_NUMBER, {}),
    "individual, number withheld": (DispatchRule(), WITHHELD, {}),
    "individual, numbers hidden": (
        DispatchRule(
            hide_phone_number=True,
            attributes={DIALLED_NUMBER_ATTRIBUTE: DEMO_DIALLED_NUMBER},
        ),
        CALLER_NUMBER,
        {},
    ),
    "direct": (DispatchRule(kind="direct", room_name="reception-line"), CALLER_NUMBER, {}),
    "callee": (DispatchRule(kind="callee", room_prefix="call"), CALLER_NUMBER, {}),
    "callee, randomised": (
        DispatchRule(kind="callee", room_prefix="", randomize=True),
        CALLER_NUMBER,
        {},
    ),
}


@pytest.mark.parametrize("rule_name", list(RULES))
def test_greeting_answer_and_transfer_whatever_the_rule_names(
    worker_rig: WorkerRig, rule_name: str
) -> None:
    rule, calling, attributes = RULES[rule_name]
    dialled = time.time()
    call = worker_rig.dial(caller=calling, rule=rule, attributes=attributes)
    call.answered()
    greeting = call.reply_within(dialled, SOON_S, quiet_s=LINE_QUIET_S)
    assert says(greeting.audio, EN.greeting, "en", others=[call_failed_apology("en")])

    asked_too = rule_name == "individual"  # the naming is all that differs after the greeting
    if asked_too:
        asked = call.say(QUESTION)
        assert call.reply_within(asked, SOON_S, quiet_s=LINE_QUIET_S).seconds > 2.0, (
            "no answer to the question"
        )
    pressed = time.time()
    call.press("0")
    call.reply_within(pressed, SOON_S, quiet_s=LINE_QUIET_S)

    assert_transferred(worker_rig, call)
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert record["call_id"] == call.call.room.sid
    assert record["outcome"] == Outcome.TRANSFERRED
    assert agent_lines(record)[0] == EN.greeting
    quoted = [t for t in record["tool_calls"] if t["name"] == "check_availability"]
    assert bool(quoted) == asked_too, record["tool_calls"]
    number_given = calling != WITHHELD and not rule.hide_phone_number
    assert (record.get("caller_hash") is not None) == number_given, record.get("caller_hash")


def test_a_rule_hiding_numbers_without_the_hotels_number_gets_the_apology_and_a_hang_up(
    worker_rig: WorkerRig,
) -> None:
    """Nothing names the hotel: the caller still hears why, and the line is closed."""
    dialled = time.time()
    call = worker_rig.dial(rule=HIDING)
    call.answered()
    apology = call.reply_within(dialled, SOON_S, quiet_s=LINE_QUIET_S)
    assert says(apology.audio, call_failed_apology("en"), "en", others=[EN.greeting])
    assert worker_rig.peer is not None
    assert worker_rig.peer.wait_until(lambda: call.call.deleted, 30.0), "the line was left open"
    assert call.job_status() == agent_pb.JS_FAILED
    assert DIALLED_NUMBER_ATTRIBUTE in worker_rig.tail(lines=400)
    answer = httpx.get(
        f"{worker_rig.api_url}/v1/calls/{call.call_id}",
        headers=worker_rig.staff_headers(),
        timeout=10,
    )
    assert answer.status_code == 404, answer.text
