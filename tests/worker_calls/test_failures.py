"""No silent line, ever: a call that fails inside the real worker still ends properly.

Whatever breaks once the agent has joined (the hotel lookup, the call's own bookkeeping,
every voice of the TTS chain), the caller hears a short apology in the hotel's language
(espeak: the voice may be what failed), then reaches the front desk, or the call is ended
(``DeleteRoom``); the call record says ``failed``. Each failure is injected from outside the
worker: the dialled number, the caller id the LiveKit peer announces, the ElevenLabs peer
(the only engine of this worker's chain) refusing to speak.

Each failed call is also reported to LiveKit as a failed job (``JS_FAILED``: the job's
process exits non-zero once the call is handed on), beside the call record's ``failed``
outcome and the worker's crash log, so either can be alarmed on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from agent_speech import says, utterances
from call_hotels import assert_transferred
from livekit.protocol import agent as agent_pb
from peers.elevenlabs_peer import ElevenLabsPeer
from peers.netns import NetworkNamespace
from rig import LiveCall, Reply, WorkerRig, agent_lines, twirp_requests

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.pms.demo_hotel import HOTEL
from hotelvoice.speech.audio import Pcm
from realtime_agent.fallback.replies import Replies, call_failed_apology

KEY = "failure-test-key"
EN = Replies(HOTEL, "en")
UNKNOWN_NUMBER = "+493055599999"
"""A number no hotel answers."""
DEAD_AIR_S = 10.0
"""The longest the caller may wait for the agent's first word, failure or not (generous)."""
LINE_QUIET_S = 2.5
"""The apology ends after this much quiet (a loaded machine pauses inside a line)."""
TOO_LONG_CALLER_ID = "+49" + "1" * 40
"""A caller id the call record's ``caller_number`` (32 characters at most) refuses: the
call's ``call.started`` event fails to build, after the hotel was found."""
OTHERS = [EN.greeting, EN.hearing_lost, EN.transfer_notice, EN.pms_unavailable]


@dataclass
class VoiceRig(WorkerRig):
    """The rig with ElevenLabs as the worker's only voice: no espeak behind it.

    Nothing is cached (each line asks the peer) and the breaker never opens, so a
    recovered peer speaks again at once.
    """

    voice: ElevenLabsPeer | None = None

    def start_worker(self, timeout_s: float = 90.0) -> None:
        if self.voice is None:
            self.voice = ElevenLabsPeer(api_key=KEY, host=self.ns.host_address).start()
            self._stack.callback(self.voice.stop)
            self.settings = {
                **self.settings,
                "HOTELVOICE_TTS_ENGINES": '["elevenlabs"]',
                "HOTELVOICE_ELEVENLABS_BASE_URL": self.voice.base_url,
                "HOTELVOICE_ELEVENLABS_API_KEY": KEY,
                "HOTELVOICE_TTS_LRU_BYTES": "0",
                "HOTELVOICE_TTS_BREAKER_FAILURES": "1000",
            }
        super().start_worker(timeout_s)


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoiceRig]:
    """Named as ``conftest.py``'s rig, so a failed call shows this worker's log."""
    ns = NetworkNamespace(index=2)  # its own /30, whatever other rig this process holds
    with VoiceRig(tmp_path_factory.mktemp("failures"), ns=ns) as running:
        yield running


def apology_after(call: LiveCall, after: float) -> Reply:
    """What the agent said after ``after``: it must start within the dead-air bound."""
    return call.reply_within(after, DEAD_AIR_S, quiet_s=LINE_QUIET_S, timeout_s=DEAD_AIR_S + 20)


def says_apology(audio: Pcm, language: str = "en") -> bool:
    """The recording (or its last utterance) is the call-failed apology."""
    text = call_failed_apology(language)
    return any(says(part, text, language, others=OTHERS) for part in [audio, *utterances(audio)])


def test_before_the_greeting_an_unknown_hotel_gets_the_apology_then_the_line_is_closed(
    worker_rig: VoiceRig,
) -> None:
    rig = worker_rig
    dialled = time.time()
    call = rig.dial(number=UNKNOWN_NUMBER)
    call.answered()
    apology = apology_after(call, dialled)
    assert rig.peer is not None
    assert rig.peer.wait_until(lambda: call.call.deleted, 30.0), "the line was left open"
    assert says_apology(apology.audio, "en")  # no hotel: the default language
    assert len(twirp_requests(rig, "DeleteRoom", call.call.room.name)) == 1
    assert not twirp_requests(rig, "TransferSIPParticipant", call.call.room.name)
    assert call.agent_left()
    answer = httpx.get(
        f"{rig.api_url}/v1/calls/{call.call_id}", headers=rig.staff_headers(), timeout=10
    )
    assert answer.status_code == 404, answer.text  # no hotel: no record of the caller kept
    assert "no hotel for this call" in rig.tail(lines=400)
    assert call.job_status() == agent_pb.JS_FAILED


def test_before_the_greeting_a_failing_call_start_apologises_and_transfers(
    worker_rig: VoiceRig,
) -> None:
    rig = worker_rig
    dialled = time.time()
    call = rig.dial(caller=TOO_LONG_CALLER_ID)
    call.answered()
    apology = apology_after(call, dialled)
    assert_transferred(rig, call)
    assert says_apology(apology.audio)
    assert not twirp_requests(rig, "DeleteRoom", call.call.room.name)
    record = call.record()
    assert record["outcome"] == Outcome.FAILED
    assert record["ended_at"] is not None
    assert call.job_status() == agent_pb.JS_FAILED


def test_no_voice_for_the_greeting_the_caller_hears_the_apology_and_the_front_desk(
    worker_rig: VoiceRig,
) -> None:
    rig = worker_rig
    assert rig.voice is not None
    before = len(rig.voice.requests)
    rig.voice.fail_with(503)
    try:
        dialled = time.time()
        call = rig.dial()
        call.answered()
        apology = apology_after(call, dialled)
        assert_transferred(rig, call)
    finally:
        rig.voice.recover()
    assert any("text-to-speech" in r.path for r in rig.voice.requests[before:]), (
        "ElevenLabs was not asked for the greeting"
    )
    assert says_apology(apology.audio)
    record = call.record()
    assert record["outcome"] == Outcome.FAILED
    # said through the call's session: on the agent's own track, and in the transcript
    assert agent_lines(record) == [call_failed_apology("en")], record["turns"]
    assert call.job_status() == agent_pb.JS_FAILED


def test_the_voice_failing_mid_call_ends_in_the_apology_and_the_front_desk(
    worker_rig: VoiceRig,
) -> None:
    rig = worker_rig
    assert rig.voice is not None
    call = rig.dial()
    call.answered()
    greeting = call.reply(after=0.0, quiet_s=LINE_QUIET_S)
    assert greeting.heard, "no greeting"
    assert greeting.ended is not None
    assert says(greeting.audio, EN.greeting, "en", others=[call_failed_apology("en")])
    rig.voice.fail_with(503)
    try:
        asked = call.say("Do you have a double room for two nights from tomorrow for two adults")
        apology = apology_after(call, max(asked, greeting.ended))
        assert_transferred(rig, call)
    finally:
        rig.voice.recover()
    assert says_apology(apology.audio)
    record = call.record()
    assert record["outcome"] == Outcome.FAILED
    assert agent_lines(record) == [EN.greeting, call_failed_apology("en")], record["turns"]
    callers = [t["text"] for t in record["turns"] if t["role"] == "caller"]
    assert callers, "the caller's question never reached the agent"
    assert call.job_status() == agent_pb.JS_FAILED
