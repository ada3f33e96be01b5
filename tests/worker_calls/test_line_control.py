"""The phone line under the real worker: lookups, keypad, hang-ups, silence, limits, barge-in.

Each test is one call to ``python -m realtime_agent start`` through the local LiveKit peer
(``rig.py``): the caller speaks espeak audio the local pocketsphinx grammar hears, presses
keys or hangs up, and the test checks what came back three ways: the agent's audio (which
catalog line it said, recognised by ``agent_speech``), what the LiveKit server was asked to
do (transfer, delete the room) and the call record the control plane stored.

Short silence and call limits are set on the demo hotel through the API for the length of
the call that needs them (``call_hotels.py``), so the other calls keep the usual limits.
"""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

import httpx
from agent_speech import THRESHOLD, recognise, render, utterances
from call_hotels import hotel_config, hotel_settings
from livekit.protocol import agent as agent_pb
from livekit.protocol.room import DeleteRoomRequest
from livekit.protocol.sip import TransferSIPParticipantRequest
from peers.livekit_media import AgentEar
from rig import LiveCall, Reply, WorkerRig, agent_lines, caller_speech, twirp_requests

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.pms.demo_hotel import HOTEL, reservations
from hotelvoice.redaction import redact
from hotelvoice.speech.audio import Pcm
from realtime_agent.fallback.replies import Replies
from realtime_agent.language.vocabularies import vocabulary

EN = Replies(HOTEL, "en")
UNKNOWN_NUMBER = "+493055599999"
"""A number no hotel answers."""
SOON_S = 10.0
"""Generous bound for "no dead air": the agent answers (or hangs up) within this."""
LINE_QUIET_S = 2.5
"""A line the test recognises ends after this much quiet: on a loaded machine the agent's
audio can pause for over a second inside one line."""
AVAILABILITY_QUESTION = "Do you have a double room for two nights from tomorrow for two adults"


def caller_lines(record: dict[str, Any]) -> list[str]:
    return [turn["text"] for turn in record["turns"] if turn["role"] == "caller"]


def tool_calls(record: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [tool for tool in record["tool_calls"] if tool["name"] == name]


def ear_of(call: LiveCall) -> AgentEar:
    agent = call.call.agent
    assert agent is not None, "the agent never joined"
    return agent.ear


def loud_seconds_between(ear: AgentEar, start: float, end: float) -> float:
    """How much of ``[start, end)`` the agent spent speaking."""
    frames = [f for f in list(ear.frames) if start <= f.at < end and f.loud]
    return sum(f.samples.size for f in frames) / 48_000


def assert_says(audio: Pcm, text: str, language: str, *, others: list[str]) -> None:
    """The recording is the agent saying ``text``, not one of ``others`` (``agent_speech``).

    A reply that begins with the tail of an earlier line (a loaded machine delays the agent's
    audio past the quiet that ended the earlier one) is judged by its last utterance.
    """
    candidates = [text, *(o for o in others if o != text)]
    heard = recognise(audio, candidates, language)
    spoken = utterances(audio)
    if (heard.text != text or heard.distance > THRESHOLD) and len(spoken) > 1:
        heard = recognise(spoken[-1], candidates, language)
    assert heard.text == text, (
        f"{audio.duration_s:.1f} s heard as {heard.text!r} ({heard.distance:.2f}), "
        f"not {text!r} ({heard.runner_up_distance:.2f})"
    )
    assert heard.distance <= THRESHOLD, (
        f"{audio.duration_s:.1f} s too unlike {text!r}: {heard.distance:.2f}"
    )


def greeted(call: LiveCall) -> Reply:
    """The call is answered and the greeting has been heard in full."""
    call.answered()
    greeting = call.reply(after=0.0, quiet_s=LINE_QUIET_S)
    assert greeting.heard, "no greeting"
    return greeting


def answer_to(call: LiveCall, after: float) -> Reply:
    """What the agent said next, which it must start saying without dead air."""
    return call.reply_within(after, SOON_S, quiet_s=LINE_QUIET_S)


def upcoming_booking() -> dict[str, Any]:
    """The first upcoming confirmed booking of the seeded demo hotel (as the scenarios pick)."""
    today = date.today()
    return next(
        r["reservation"]
        for r in reservations(today)
        if r["reservation"]["arrival"] > today.isoformat()
        and r["reservation"]["status"] == "confirmed"
    )


def spoken_code(code: str) -> str:
    """``HV1042`` as a caller reads it and the grammar hears it: "h v one zero four two"."""
    words: dict[int, str] = {}
    for word, digit in vocabulary("en").numbers.units.items():
        words.setdefault(digit, word)
    return " ".join(words[int(c)] if c.isdigit() else c.lower() for c in code)


def test_a_caller_checks_a_booking_by_code_and_hears_it_read_back(worker_rig: WorkerRig) -> None:
    booking = upcoming_booking()
    code, last_name = booking["confirmation_code"], booking["guest_last_name"]
    call = worker_rig.dial()
    greeted(call)

    ask_code = answer_to(call, call.say("I want to check my booking"))
    assert_says(ask_code.audio, EN.ask_code, "en", others=[EN.ask_last_name, EN.greeting])

    ask_name = answer_to(call, call.say(f"my confirmation code is {spoken_code(code)}"))
    assert_says(ask_name.audio, EN.ask_last_name, "en", others=[EN.ask_code, EN.greeting])

    read_back = answer_to(call, call.say(f"my last name is {last_name}"))
    call.hang_up()
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    lookups = tool_calls(record, "find_reservation")
    # The record keeps the code; the guest's name is redacted from it.
    assert [t["arguments"]["confirmation_code"] for t in lookups] == [code], lookups
    assert lookups[0]["ok"]
    result = json.loads(lookups[0]["result"])
    assert result["found"] is True, (result, caller_lines(record))
    expected = EN.tool_result("find_reservation", result)
    spoken = agent_lines(record)[-1]
    assert code in spoken, spoken
    assert booking["room_type_name"] in spoken, spoken
    # The read-back's closing question varies by turn; the facts before it do not.
    assert spoken.split(code)[0] == expected.split(code)[0], (spoken, expected)
    retry = EN.line("reservation_retry")
    assert_says(read_back.audio, spoken, "en", others=[EN.ask_last_name, retry])


def test_pressing_0_transfers_the_caller_to_the_front_desk(worker_rig: WorkerRig) -> None:
    front_desk = hotel_config(worker_rig).front_desk
    call = worker_rig.dial()
    greeted(call)

    pressed = time.time()
    call.press("0")
    notice = answer_to(call, pressed)
    assert_says(notice.audio, EN.transfer_notice, "en", others=[EN.dtmf_menu, EN.transfer_failed])

    assert worker_rig.peer is not None
    caller = call.call.caller.identity
    assert worker_rig.peer.wait_until(lambda: caller in call.call.left, SOON_S), (
        "the caller's leg is still up after the transfer"
    )
    transfers = twirp_requests(worker_rig, "TransferSIPParticipant", call.call.room.name)
    assert len(transfers) == 1, transfers
    transfer: TransferSIPParticipantRequest = transfers[0]
    assert transfer.participant_identity == caller
    assert transfer.transfer_to == front_desk
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert record["outcome"] == Outcome.TRANSFERRED
    assert record["ended_at"] is not None
    assert [(t["target"], t["succeeded"]) for t in record["transfers"]] == [(front_desk, True)]
    assert EN.transfer_notice in agent_lines(record)


def test_a_caller_who_hangs_up_mid_answer_leaves_a_complete_record(worker_rig: WorkerRig) -> None:
    call = worker_rig.dial()
    greeted(call)
    ear = ear_of(call)

    asked = call.say(AVAILABILITY_QUESTION)
    assert worker_rig.peer is not None
    assert worker_rig.peer.wait_until(lambda: ear.first_sound_after(asked) is not None, SOON_S)
    started = ear.first_sound_after(asked)
    assert started is not None
    time.sleep(1.0)  # well inside the answer: a price quote takes many seconds
    hung_up = time.time()
    assert loud_seconds_between(ear, hung_up - 0.5, hung_up) > 0, "the agent was not speaking"
    call.hang_up()

    assert call.job_status() == agent_pb.JS_SUCCESS
    assert call.agent_left(), "the agent stayed in the room after the caller hung up"
    record = call.record()
    assert record["outcome"] == Outcome.ABANDONED
    assert record["ended_at"] is not None
    questions = caller_lines(record)
    assert len(questions) == 1, questions
    assert "double room" in questions[0].lower(), questions


def test_a_number_no_hotel_answers_is_hung_up_at_once(worker_rig: WorkerRig) -> None:
    call = worker_rig.dial(number=UNKNOWN_NUMBER)
    assert worker_rig.peer is not None
    assert worker_rig.peer.wait_until(lambda: call.call.deleted, 30.0), (
        f"the line was left open:\n{worker_rig.tail()}"
    )
    assert len(twirp_requests(worker_rig, "DeleteRoom", call.call.room.name)) == 1
    delete: DeleteRoomRequest = twirp_requests(worker_rig, "DeleteRoom", call.call.room.name)[0]
    assert delete.room == call.call.room.name
    assert call.job_status() == agent_pb.JS_FAILED  # a number routed here that no hotel has
    assert call.agent_left()
    answer = httpx.get(
        f"{worker_rig.api_url}/v1/calls/{call.call_id}",
        headers=worker_rig.staff_headers(),
        timeout=10,
    )
    assert answer.status_code == 404, answer.text  # no hotel: no record of the caller kept


def test_a_silent_caller_is_reprompted_then_politely_hung_up(worker_rig: WorkerRig) -> None:
    # The reprompt comes later than a line's own pauses (LINE_QUIET_S): they stay apart.
    with hotel_settings(worker_rig, silence_reprompt_s=5, max_silence_reprompts=1) as config:
        call = worker_rig.dial()
        greeting = greeted(call)
        assert greeting.ended is not None

        reprompt = call.reply(after=greeting.ended, quiet_s=LINE_QUIET_S)
        assert reprompt.heard, "no reprompt for a silent caller"
        assert reprompt.delay_s >= config.silence_reprompt_s - 0.5, "reprompted too soon"
        assert reprompt.delay_s < config.silence_reprompt_s + SOON_S
        assert_says(reprompt.audio, EN.silence_reprompt, "en", others=[EN.silence_goodbye])

        assert reprompt.ended is not None
        goodbye = call.reply(after=reprompt.ended, quiet_s=LINE_QUIET_S)
        assert goodbye.heard, "no goodbye after the reprompt"
        assert goodbye.delay_s >= config.silence_reprompt_s - 0.5
        assert goodbye.delay_s < config.silence_reprompt_s + SOON_S
        assert_says(goodbye.audio, EN.silence_goodbye, "en", others=[EN.silence_reprompt])

        assert worker_rig.peer is not None
        assert worker_rig.peer.wait_until(lambda: call.call.deleted, SOON_S), "not hung up"
        assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert record["outcome"] == Outcome.ABANDONED
    said = [EN.greeting, EN.silence_reprompt, EN.silence_goodbye]
    assert agent_lines(record) == [redact(line) for line in said]


def test_the_call_is_closed_politely_at_the_hotels_time_limit(worker_rig: WorkerRig) -> None:
    # Silence limits far apart, so that only the call's length can end it.
    limits = {"max_call_s": 60, "silence_reprompt_s": 30, "max_silence_reprompts": 5}
    with hotel_settings(worker_rig, **limits) as config:
        call = worker_rig.dial()
        call.answered()
        answered = time.time()
        greeting = call.reply(after=0.0)
        assert greeting.heard

        limit_line = call.reply(
            after=answered + config.max_call_s - 5,
            timeout_s=config.max_call_s + SOON_S,
            quiet_s=LINE_QUIET_S,
        )
        assert limit_line.heard, "nothing was said at the time limit"
        assert limit_line.delay_s < 5 + SOON_S, "the call went on past its limit"
        assert_says(limit_line.audio, EN.max_duration_goodbye, "en", others=[EN.silence_reprompt])
        assert worker_rig.peer is not None
        assert worker_rig.peer.wait_until(lambda: call.call.deleted, SOON_S), "not hung up"
        assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert record["outcome"] == Outcome.COMPLETED
    assert agent_lines(record)[-1] == redact(EN.max_duration_goodbye)  # the record's form


def test_the_caller_talks_over_a_long_answer_and_is_answered(worker_rig: WorkerRig) -> None:
    call = worker_rig.dial()
    greeted(call)
    ear = ear_of(call)
    assert worker_rig.peer is not None

    asked = call.say(AVAILABILITY_QUESTION)
    assert worker_rig.peer.wait_until(lambda: ear.first_sound_after(asked) is not None, SOON_S)
    quote_started = ear.first_sound_after(asked)
    assert quote_started is not None
    time.sleep(1.5)  # the quote is under way (it lasts over ten seconds)
    barge_in = "hello is breakfast included please"
    talking_over = time.time()
    talked = worker_rig.peer.say(call.call, caller_speech(barge_in))
    answer = answer_to(call, talked)
    call.hang_up()
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    lines = agent_lines(record)
    (priced,) = tool_calls(record, "check_availability")
    quote = EN.tool_result("check_availability", json.loads(priced["result"]))
    assert tool_calls(record, "get_hotel_info"), record["tool_calls"]
    breakfast = lines[-1]
    assert "breakfast" in breakfast.lower(), lines
    assert_says(answer.audio, breakfast, "en", others=[quote, EN.greeting])
    # The quote stopped soon after the caller started talking, not at its end.
    spoken_over = loud_seconds_between(ear, talking_over, answer.started or talked)
    full_quote_s = render(quote, "en").duration_s
    assert spoken_over < 4.0 < full_quote_s, (spoken_over, full_quote_s)
