"""The worker's turn detection stays in the process, and its call reaches only configured hosts.

LiveKit's default turn detector depends on how the worker was launched: ``dev`` and
``console`` set ``LIVEKIT_DEV_MODE``, LiveKit Cloud hosting sets ``LIVEKIT_REMOTE_EOT_URL``,
and either picks the ``v1`` model, which streams the caller's audio to LiveKit's inference
gateway (``agent-gateway.livekit.cloud``). Each check here also runs LiveKit's default under
the same conditions, to show that it would catch the default.

The network audit wraps the standard library's resolver and ``socket.connect``: every name
lookup and connection of the call, from any thread, goes through them (aiohttp, httpx and
asyncio included), and one to a host outside the configuration is refused and recorded.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlparse

import pytest
from caller_audio import as_frames, silence, speak
from livekit import rtc
from livekit.agents import Agent, AgentSession, StopResponse, io, llm, utils
from pydantic import ValidationError

from hotelvoice.settings import Settings
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.speech.plugins import stt_for, tts_for, vad
from realtime_agent.turn_taking import TELEPHONY_TURN_HANDLING, call_vad, turn_handling_for

LAUNCH_MODES = {
    "start": {},
    "dev or console": {"LIVEKIT_DEV_MODE": "1"},
    "LiveKit Cloud hosting": {"LIVEKIT_REMOTE_EOT_URL": "wss://eot.example.invalid"},
}
"""The environment each way of launching the worker leaves for LiveKit's defaults."""

LOCAL_MODEL = "turn-detector-v1-mini"
TURN_TIMEOUT_S = 30.0


@pytest.fixture
def worker_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """What a running worker has in its environment: ``AgentServer.run`` exports the
    credentials, and they are what would let LiveKit's cloud detector authenticate."""
    monkeypatch.setenv("LIVEKIT_URL", "ws://127.0.0.1:7880")
    monkeypatch.setenv("LIVEKIT_API_KEY", "devkey")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "hotelvoice-local-livekit-secret-0123456789")
    for name in ("LIVEKIT_DEV_MODE", "LIVEKIT_REMOTE_EOT_URL", "LIVEKIT_INFERENCE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def session_with(turn_handling: dict, settings: Settings) -> AgentSession:
    """The worker's session for a call (the room and the dialogue left out)."""
    return AgentSession(
        stt=stt_for(settings, "en", asr_url="http://127.0.0.1:1", credentials=LocalServiceToken()),
        tts=tts_for(settings, "en"),
        vad=vad(),
        turn_handling=turn_handling,
    )


@pytest.mark.parametrize("agent_stt", ["proxy-stream", "proxy"])
@pytest.mark.parametrize("launch", list(LAUNCH_MODES))
async def test_the_worker_detects_turns_in_process_however_it_was_launched(
    worker_environment: pytest.MonkeyPatch, launch: str, agent_stt: str
) -> None:
    for name, value in LAUNCH_MODES[launch].items():
        worker_environment.setenv(name, value)
    settings = Settings(local_mode=True, agent_stt=agent_stt)

    pinned = session_with(turn_handling_for(settings), settings)
    default = session_with(TELEPHONY_TURN_HANDLING, settings)

    assert pinned.turn_detection.model == LOCAL_MODEL
    # LiveKit's choice in this launch mode, which the check above would reject.
    expected_default = LOCAL_MODEL if launch == "start" else "turn-detector-v1"
    assert default.turn_detection.model == expected_default


class HostAudit:
    """Every host the process looks up or connects to; those not configured are refused."""

    def __init__(self, configured: set[str]) -> None:
        self.configured = configured
        self.refused: list[str] = []
        self._addresses = {host for host in configured if _is_address(host)}

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_getaddrinfo = socket.getaddrinfo
        real_connect = socket.socket.connect

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if name not in self.configured:
                self.refused.append(name)
                raise socket.gaierror(socket.EAI_NONAME, f"{name} is not a configured host")
            answers = real_getaddrinfo(host, *args, **kwargs)
            self._addresses.update(str(answer[4][0]) for answer in answers)
            return answers

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                host = str(address[0])
                if host not in self._addresses:
                    self.refused.append(host)
                    raise ConnectionRefusedError(f"{host} is not a configured host")
            real_connect(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class RealTimeLine(io.AudioInput):
    """The caller's line: 10 ms frames at a phone's pace, silence when nothing is queued."""

    def __init__(self, frames: list[rtc.AudioFrame]) -> None:
        super().__init__(label="caller-line")
        self.pending = frames
        self._quiet = as_frames(silence(0.01, 16000), frame_ms=10)[0]

    async def __anext__(self) -> rtc.AudioFrame:
        await asyncio.sleep(0.01)
        return self.pending.pop(0) if self.pending else self._quiet


class Listener(Agent):
    """Notes the caller's finished turn and answers nothing (no LLM is needed for turns)."""

    def __init__(self) -> None:
        super().__init__(instructions="You are a hotel receptionist.")
        self.turn_done = asyncio.Event()

    async def on_user_turn_completed(
        self, turn_ctx: llm.ChatContext, new_message: llm.ChatMessage
    ) -> None:
        self.turn_done.set()
        raise StopResponse()


@pytest.fixture
def audited_call(
    worker_environment: pytest.MonkeyPatch, asr_url: str
) -> tuple[HostAudit, Settings]:
    """A ``dev`` worker's environment, and an audit allowing only the configured hosts."""
    worker_environment.setenv("LIVEKIT_DEV_MODE", "1")
    settings = Settings(local_mode=True, asr_url=asr_url)
    configured = {
        str(urlparse(url).hostname)
        for url in (settings.asr_url, settings.livekit_url, settings.api_url)
    }
    audit = HostAudit(configured)
    audit.install(worker_environment)
    return audit, settings


async def one_caller_turn(session: AgentSession) -> None:
    """The caller asks one question; returns once the session has closed the caller's turn."""
    caller = speak("what time is check in").resample(16000)
    line = RealTimeLine(
        as_frames(caller, frame_ms=10) + as_frames(silence(1.5, 16000), frame_ms=10)
    )
    session.input.audio = line
    agent = Listener()
    async with utils.http_context.open():  # what a job gives its plugins
        try:
            await session.start(agent, record=False)
            await asyncio.wait_for(agent.turn_done.wait(), timeout=TURN_TIMEOUT_S)
        finally:
            await session.aclose()


def worker_session(settings: Settings, turn_handling: dict) -> AgentSession:
    """The worker's ears, voice and VAD, with the turn handling under test."""
    return AgentSession(
        stt=stt_for(settings, "en", credentials=LocalServiceToken()),
        tts=tts_for(settings, "en"),
        vad=call_vad(settings, {}),
        turn_handling=turn_handling,
    )


async def test_a_dev_worker_call_reaches_no_host_outside_the_configuration(
    audited_call: tuple[HostAudit, Settings],
) -> None:
    audit, settings = audited_call
    session = worker_session(settings, turn_handling_for(settings))
    await one_caller_turn(session)
    assert audit.refused == []


async def test_the_audit_catches_livekits_default_turn_detector(
    audited_call: tuple[HostAudit, Settings],
) -> None:
    audit, settings = audited_call
    session = worker_session(settings, TELEPHONY_TURN_HANDLING)
    await one_caller_turn(session)
    assert "agent-gateway.livekit.cloud" in audit.refused


async def test_the_recogniser_alone_ends_the_callers_turn_where_configured(asr_url: str) -> None:
    settings = Settings(local_mode=True, asr_url=asr_url, agent_turn_detection="stt")
    session = worker_session(settings, turn_handling_for(settings))
    assert session.vad is None, "no VAD runs per call when the recogniser ends turns"
    assert session.turn_detection == "stt"
    await one_caller_turn(session)  # times out if nothing ends the turn


def test_recogniser_turns_need_a_recogniser_that_streams() -> None:
    with pytest.raises(ValidationError, match="agent_turn_detection=stt needs a streaming"):
        Settings(agent_turn_detection="stt", agent_stt="proxy")
    assert Settings(agent_turn_detection="stt", agent_stt="riva").agent_turn_detection == "stt"
