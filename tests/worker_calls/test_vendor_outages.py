"""A vendor goes down in the middle of real calls: the caller still hears the agent.

One worker (``python -m realtime_agent start``) is configured with every vendor a production
call depends on, each a local peer on the network namespace's host address: an LLM (the
OpenAI-wire peer, answering as the fallback policy would), ElevenLabs first in the TTS chain
(espeak behind it), the ASR proxy in the namespace, and the control plane behind a proxy that
can break one hotel's PMS routes. Each test breaks one of them and listens: the caller must
hear a spoken fallback, never silence.
"""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from agent_speech import says, utterances
from livekit.protocol import agent as agent_pb
from peers.elevenlabs_peer import ElevenLabsPeer
from peers.netns import NetworkNamespace
from peers.openai_chat_peer import ChatCompletionsPeer, Reply, TextReply
from peers.policy_model import policy_model
from rig import ASR_PORT, REPO, LiveCall, WorkerRig, agent_lines

from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from realtime_agent.fallback.replies import Replies

KEY = "outage-test-key"
LLM_TIMEOUT_S = 4.0
"""The worker's ``llm_timeout_s``: a model slower than this hands the turn to the policy."""
DEAD_AIR_S = 10.0
"""The longest the agent may leave the caller in silence, outage or not (generous)."""
MODEL_LINE = "This is the language model speaking: we have rooms for you."
"""What the working model answers a caller's turn: a line the fallback policy never says."""
QUESTION = "Do you have a double room for two nights from tomorrow for two adults"
EN = Replies(HOTEL, "en")


def _load(path: Path) -> ModuleType:
    """A helper module of another test folder (``tests/realtime_agent`` is no package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


pms_faults = _load(REPO / "tests" / "realtime_agent" / "pms_fault_proxy.py")


class _LoopThread:
    """An asyncio loop in a thread of its own, for the PMS fault proxy (an aiohttp app)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


@dataclass
class OutageRig(WorkerRig):
    """The rig with an LLM, ElevenLabs and a PMS fault proxy, all reachable from the worker."""

    llm: ChatCompletionsPeer | None = None
    voice: ElevenLabsPeer | None = None
    pms: Any = None
    healthy_model: Callable[[dict[str, Any]], Reply] | None = None

    def start_worker(self, timeout_s: float = 90.0) -> None:
        """Start the vendors on the host address (known once the namespace exists) first."""
        if self.llm is None:
            self._start_vendors()
        super().start_worker(timeout_s)

    def _start_vendors(self) -> None:
        assert self.plane is not None
        host = self.ns.host_address
        info = httpx.get(
            f"{self.api_url}/v1/hotels/{DEMO_HOTEL_ID}/info",
            headers=self.staff_headers(),
            timeout=10,
        )
        info.raise_for_status()
        self.healthy_model = policy_model(HotelInfo.model_validate(info.json()), self.plane.today)
        self.llm = ChatCompletionsPeer(self.healthy_model, api_key=KEY, host=host).start()
        self._stack.callback(self.llm.stop)
        self.voice = ElevenLabsPeer(api_key=KEY, host=host).start()
        self._stack.callback(self.voice.stop)
        loop = _LoopThread()
        self._stack.callback(loop.close)
        self.pms = pms_faults.PmsFaultProxy(upstream=self.api_url, host=host)
        loop.run(self.pms.start())
        self._stack.callback(loop.run, self.pms.stop())
        self.settings = {
            **self.settings,
            "HOTELVOICE_LLM_BASE_URL": self.llm.base_url,
            "HOTELVOICE_LLM_API_KEY": KEY,
            "HOTELVOICE_LLM_TIMEOUT_S": str(LLM_TIMEOUT_S),
            "HOTELVOICE_TTS_ENGINES": '["elevenlabs", "espeak"]',
            "HOTELVOICE_ELEVENLABS_BASE_URL": self.voice.base_url,
            "HOTELVOICE_ELEVENLABS_API_KEY": KEY,
            "HOTELVOICE_API_URL": self.pms.url,
        }


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OutageRig]:
    """Named as ``conftest.py``'s rig, so a failed call shows this worker's log."""
    ns = NetworkNamespace(index=1)  # its own /30, whatever other rig this process holds
    with OutageRig(tmp_path_factory.mktemp("outages"), ns=ns) as running:
        yield running


def greeted(call: LiveCall) -> float:
    """Answer, hear the whole greeting; returns when it ended."""
    call.answered()
    greeting = call.reply(after=0.0)
    assert greeting.heard, "no greeting"
    assert greeting.ended is not None
    return greeting.ended


def marked_model(rig: OutageRig) -> Callable[[dict[str, Any]], Reply]:
    """The model greets as the policy does and answers every caller turn with MODEL_LINE."""
    policy = rig.healthy_model
    assert policy is not None

    def respond(request: dict[str, Any]) -> Reply:
        if any(m.get("role") == "user" for m in request.get("messages") or []):
            return TextReply(MODEL_LINE)
        return policy(request)

    return respond


def test_an_llm_that_fails_or_hangs_mid_call_leaves_the_answer_to_the_policy(
    worker_rig: OutageRig,
) -> None:
    rig = worker_rig
    assert rig.llm is not None
    rig.llm.set_script(marked_model(rig))
    try:
        call = rig.dial()
        after_greeting = greeted(call)
        asked = call.say("Hello, I have a question", "en")
        modelled = call.reply(after=max(asked, after_greeting))
        assert modelled.heard, "dead air, model up"
        assert says(modelled.audio, MODEL_LINE, "en", others=[EN.greeting, EN.pms_unavailable])
        requests_up = len(rig.llm.chat_requests)

        rig.llm.fail_from_now(500, "upstream overloaded")
        asked = call.say(QUESTION)
        answer = call.reply(after=asked, timeout_s=DEAD_AIR_S)
        assert answer.heard, "dead air after the model failed"
        call.hang_up()
        assert call.job_status() == agent_pb.JS_SUCCESS
        lines = agent_lines(call.record())
        assert len(rig.llm.chat_requests) > requests_up, "the failing model was asked"
        assert MODEL_LINE in lines, f"the model answered while it was up: {lines}"
        # the policy's answer: the price, or what it still needs where the recogniser missed
        # part of the question (pocketsphinx on a loaded machine); never the model's line
        after_failure = lines[lines.index(MODEL_LINE) + 1 :]
        assert after_failure, f"nothing answered after the model failed: {lines}"
        assert MODEL_LINE not in after_failure, lines

        # A model that hangs: the greeting itself waits only llm_timeout_s for it.
        rig.llm.hang_from_now(30)
        stalled = len(rig.llm.chat_requests)
        call = rig.dial()
        call.answered()
        greeting = call.reply(after=time.time(), timeout_s=DEAD_AIR_S + LLM_TIMEOUT_S)
        assert greeting.heard, "dead air while the model hung"
        call.hang_up()
        assert len(rig.llm.chat_requests) > stalled, "the hanging model was asked"
        assert agent_lines(call.record())[0] == EN.greeting
        assert says(greeting.audio, EN.greeting, "en", others=[MODEL_LINE, EN.pms_unavailable])
    finally:
        rig.llm.set_script(rig.healthy_model)


def test_elevenlabs_down_the_caller_hears_espeak_then_elevenlabs_again(
    worker_rig: OutageRig,
) -> None:
    rig = worker_rig
    assert rig.voice is not None
    rig.voice.fail_with(503)
    try:
        before = len(rig.voice.requests)
        call = rig.dial()
        call.answered()
        greeting = call.reply(after=0.0)
        assert greeting.heard, "dead air while ElevenLabs is down"
        call.hang_up()
        speech = [r for r in rig.voice.requests[before:] if "text-to-speech" in r.path]
        assert speech, "ElevenLabs was not even tried"
        assert agent_lines(call.record())[0] == EN.greeting
        # What the caller heard is the agent's espeak voice saying the greeting.
        assert says(greeting.audio, EN.greeting, "en", others=[EN.hearing_lost, MODEL_LINE])
    finally:
        rig.voice.recover()

    before = len(rig.voice.requests)
    call = rig.dial()
    call.answered()
    greeting = call.reply(after=0.0)
    assert greeting.heard
    call.hang_up()
    speech = [r for r in rig.voice.requests[before:] if "text-to-speech" in r.path]
    assert speech, "ElevenLabs healthy again, but no longer asked"


def test_a_pms_outage_is_apologised_for_with_the_front_desk_offered(
    worker_rig: OutageRig,
) -> None:
    rig = worker_rig
    fault = pms_faults.Fault(DEMO_HOTEL_ID, "availability", status=503)
    rig.pms.faults.append(fault)
    try:
        call = rig.dial()
        after_greeting = greeted(call)
        asked = call.say(QUESTION)
        answer = call.reply(after=max(asked, after_greeting), timeout_s=DEAD_AIR_S)
        assert answer.heard, "dead air while the PMS is down"
        call.hang_up()
        lines = agent_lines(call.record())
    finally:
        rig.pms.faults.remove(fault)
    assert rig.pms.faulted(), "the PMS was asked and failed"
    assert EN.pms_unavailable in lines, lines
    # The holding line may come first, less than a reply's pause before the apology.
    heard = [answer.audio, *utterances(answer.audio)]
    others = [EN.holding_line, EN.greeting, EN.hearing_lost]
    assert any(says(part, EN.pms_unavailable, "en", others=others) for part in heard)


def test_the_asr_going_away_mid_call_is_apologised_for_and_the_call_transferred(
    worker_rig: OutageRig,
) -> None:
    rig = worker_rig
    call = rig.dial()
    after_greeting = greeted(call)
    try:
        rig.stop_asr()
        lost = time.time()
        call.say_nowait(QUESTION)
        apology = call.reply(after=max(lost, after_greeting), timeout_s=DEAD_AIR_S)
        assert apology.heard, "silence after the ASR went away"
        record = call.record()
    finally:
        rig.start_asr()
        _wait_for_asr(rig)
    lines = agent_lines(record)
    assert EN.hearing_lost in lines, lines
    assert record["outcome"] == "transferred", record
    assert [t["reason"] for t in record["transfers"]] == ["not_understood"], record
    assert says(apology.audio, EN.hearing_lost, "en", others=[EN.greeting, EN.pms_unavailable])


def _wait_for_asr(rig: WorkerRig, timeout_s: float = 30.0) -> None:
    """The restarted ASR proxy listens again (inside the namespace)."""
    deadline = time.monotonic() + timeout_s
    probe = f"import socket; socket.create_connection(('127.0.0.1', {ASR_PORT}), 1).close()"
    while time.monotonic() < deadline:
        done = subprocess.run(
            [*rig.ns.exec_prefix, "python3", "-c", probe], capture_output=True, check=False
        )
        if done.returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError("the ASR proxy did not come back")
