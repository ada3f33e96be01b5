"""Whole phone calls through the real worker: ``python -m realtime_agent start``.

What runs, and where:

- a network namespace of the test's own (``peers/netns.py``): libwebrtc needs a real
  interface for ICE, so the worker runs inside it, and so does the ASR proxy it listens with;
- on the host end of the namespace's veth pair: the local control plane (moto, the
  template's functions, the HTTP API) and the local LiveKit peer (``peers/livekit_peer.py``:
  worker protocol, signalling + WebRTC media via aiortc, Twirp);
- the caller: espeak speech sent as the SIP participant's Opus track; the agent's track is
  recorded as it arrives.

Nothing is patched: the worker is the production entry point with local-mode settings.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from peers.livekit_peer import LiveKitPeer, PhoneCall
from peers.livekit_sip_dispatch import INDIVIDUAL, DispatchRule
from peers.netns import NetworkNamespace

from hotelvoice.auth import Role
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.secrets import LOCAL_LIVEKIT_API_KEY, LOCAL_LIVEKIT_API_SECRET
from hotelvoice.settings import get_settings
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.espeak_tts import EspeakSynthesizer
from local_mode.control_plane import LocalControlPlane
from tests.api_process import ApiProcess, free_port

AGENT_NAME = "hotelvoice-receptionist"
CALLER_NUMBER = "+4917612345678"
ASR_PORT = 8090
"""The ASR proxy's port inside the namespace (the namespace is ours: no clash)."""
REPO = Path(__file__).resolve().parents[2]
CALLER_VOICES = {"en": "en-us", "de": "de", "fr": "fr", "es": "es", "it": "it"}
QUIET_S = 1.5
"""The agent has finished a reply when its line has been quiet this long."""


def caller_speech(text: str, language: str = "en") -> Pcm:
    """What the caller says: espeak-ng at a talking pace, in the caller's language."""
    return EspeakSynthesizer().synthesize(text, voice=CALLER_VOICES[language], rate_wpm=150)


def _clean_environment() -> dict[str, str]:
    """This process's environment without our settings, AWS's or LiveKit's."""
    drop = ("HOTELVOICE_", "AWS_", "LIVEKIT_", "OPENAI_", "AZURE_", "ELEVENLABS_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@dataclass
class WorkerRig:
    """The namespace, control plane, LiveKit peer, ASR proxy and worker of one test module."""

    logs: Path
    settings: Mapping[str, str] = field(default_factory=dict)
    """Extra worker settings (``HOTELVOICE_…``), e.g. an LLM endpoint on the host address."""
    instant_asr: bool = False
    """Hear with ``peers.instant_asr_peer`` (every utterance is its script line, at once)
    instead of the real ASR proxy: for load measurements of the worker alone. It runs as a
    process of its own, like the proxy, so that its work competes with no one's lock."""
    decode_agent_audio: bool = True
    """``False``: the agent's audio is timed by its packets and never decoded (``make
    load``: the generator's share of the two cores goes to the worker)."""
    api_process: bool = False
    """Serve the control plane as ``hotelvoice api`` in a process of its own (``make load``):
    in this process its call-events consumer held the interpreter lock most of the time at
    25 calls, and the peer's signalling timed out behind it. Tests that read call records
    through :attr:`plane` keep it in process."""
    ns: NetworkNamespace = field(default_factory=NetworkNamespace)
    plane: LocalControlPlane | None = None
    peer: LiveKitPeer | None = None
    api_url: str = ""
    worker: subprocess.Popen[bytes] | None = None
    asr: subprocess.Popen[bytes] | None = None
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def __enter__(self) -> WorkerRig:
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()
        get_settings.cache_clear()

    def _start(self) -> None:
        saved = dict(os.environ)  # the control plane sets local AWS and local mode for us
        self._stack.callback(_restore, saved)
        self._stack.enter_context(self.ns)
        if self.api_process:
            self.api_url = self._serve_api()
        else:
            self.plane = self._stack.enter_context(LocalControlPlane())
            self.api_url = self.plane.serve(host=self.ns.host_address)
        self.peer = self._stack.enter_context(
            LiveKitPeer(
                api_key=LOCAL_LIVEKIT_API_KEY,
                api_secret=LOCAL_LIVEKIT_API_SECRET,
                host=self.ns.host_address,
                decode_agent_audio=self.decode_agent_audio,
            )
        )
        self.start_asr()
        self.start_worker()

    def _serve_api(self) -> str:
        """``hotelvoice api`` (moto, the template's resources, the demo hotel) on the host end."""
        url = f"http://{self.ns.host_address}:{free_port()}"
        host, port = url.removeprefix("http://").split(":")
        api = ApiProcess(["--host", host, "--port", port], self.logs / "api.log")
        try:
            api.start(url)
        finally:
            if api.process is not None:  # the API and the moto it started, as a group
                self._stack.callback(_stop, api.process)
        return url

    def start_asr(self) -> None:
        """The ASR proxy (``gpu_asr``) in the namespace, where the worker's STT reaches it."""
        if self.instant_asr:  # the peers live in tests/
            path = {"PYTHONPATH": os.pathsep.join((str(REPO), str(REPO / "tests")))}
            serve = ["-m", "peers.instant_asr_peer", "--port", str(ASR_PORT)]
        else:
            path = {}
            serve = ["-m", "uvicorn", "gpu_asr.app:app", "--port", str(ASR_PORT)]
            serve += ["--log-level", "warning"]
        self.asr = self._spawn("asr", [*serve, "--host", "127.0.0.1"], path)

    def stop_asr(self) -> None:
        """The ASR proxy goes away (an outage mid-call); :meth:`start_asr` brings it back."""
        if self.asr is not None:
            _stop(self.asr)

    @property
    def environment(self) -> dict[str, str]:
        """What the worker and the ASR proxy run with: local mode, reaching our peers only."""
        assert self.peer is not None
        return {
            **_clean_environment(),
            "HOTELVOICE_LOCAL_MODE": "true",
            "HOTELVOICE_API_URL": self.api_url,
            "HOTELVOICE_ASR_URL": f"http://127.0.0.1:{ASR_PORT}",
            "HOTELVOICE_ASR_BACKEND": "local",
            "HOTELVOICE_TTS_ENGINES": '["espeak"]',
            "LIVEKIT_URL": self.peer.url,
            "AWS_REGION": "eu-central-1",
            "PYTHONPATH": str(REPO),
            **self.settings,
        }

    def _spawn(
        self, name: str, args: list[str], extra: Mapping[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        self._stack.callback(log.close)
        process = subprocess.Popen(
            [*self.ns.exec_prefix, sys.executable, *args],
            env={**self.environment, **(extra or {})},
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._stack.callback(_stop, process)
        return process

    def start_worker(self, timeout_s: float = 90.0) -> None:
        """``python -m realtime_agent start``, registered with the peer."""
        assert self.peer is not None
        self.worker = self._spawn("worker", ["-m", "realtime_agent", "start"])
        deadline = time.monotonic() + timeout_s
        while True:
            if self.worker.poll() is not None:
                raise RuntimeError(f"the worker exited ({self.worker.returncode}):\n{self.tail()}")
            try:
                self.peer.wait_for_worker(AGENT_NAME, timeout_s=1.0)
                return
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the worker did not register:\n{self.tail()}") from None

    def tail(self, name: str = "worker", lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def dial(
        self,
        *,
        number: str = DEMO_DIALLED_NUMBER,
        caller: str = CALLER_NUMBER,
        rule: DispatchRule = INDIVIDUAL,
        attributes: dict[str, str] | None = None,
    ) -> LiveCall:
        """An inbound call to ``number``, with the room and participant that ``rule`` makes."""
        assert self.peer is not None
        call = self.peer.dial(
            caller, number, agent_name=AGENT_NAME, rule=rule, extra_attributes=attributes
        )
        return LiveCall(self, call)

    def staff_headers(self) -> dict[str, str]:
        assert self.plane is not None
        return {"authorization": f"Bearer {self.plane.token(Role.ADMIN)}"}


@dataclass
class LiveCall:
    """One call on the rig, from the caller's side of the line."""

    rig: WorkerRig
    call: PhoneCall

    @property
    def peer(self) -> LiveKitPeer:
        assert self.rig.peer is not None
        return self.rig.peer

    @property
    def call_id(self) -> str:
        """What the agent names the call by: the room's SID."""
        return self.call.room.sid

    def answered(self, timeout_s: float = 30.0) -> None:
        """The agent joined and its media flows."""
        self.peer.wait_for_agent(self.call, timeout_s)

    def say(self, text: str, language: str = "en") -> float:
        """The caller says ``text``; returns the wall time its last sample was sent."""
        return self.peer.say(self.call, caller_speech(text, language))

    def say_nowait(self, text: str, language: str = "en") -> None:
        self.peer.say_nowait(self.call, caller_speech(text, language))

    def reply(self, after: float, timeout_s: float = 20.0, quiet_s: float = QUIET_S) -> Reply:
        """What the agent says after ``after``: from its first sound to ``quiet_s`` of quiet."""
        agent = self.call.agent
        assert agent is not None
        ear = agent.ear
        deadline = time.time() + timeout_s
        start = None
        while time.time() < deadline:
            start = ear.first_sound_after(after)
            if start is not None:
                break
            time.sleep(0.05)
        if start is None:
            return Reply(after, None, None, Pcm(b"", 16_000))
        while time.time() < deadline + 30:
            last_loud = max((f.at for f in ear.frames if f.at >= start and f.loud), default=start)
            if time.time() - last_loud >= quiet_s:
                return Reply(after, start, last_loud, ear.audio(start, last_loud + 0.05))
            time.sleep(0.05)
        raise AssertionError("the agent never stopped talking")

    def reply_within(
        self, after: float, dead_air_s: float, *, quiet_s: float, timeout_s: float | None = None
    ) -> Reply:
        """:meth:`reply`, which must begin within ``dead_air_s`` of ``after``."""
        reply = self.reply(after=after, timeout_s=timeout_s or dead_air_s + 10, quiet_s=quiet_s)
        assert reply.heard, "dead air: the agent said nothing"
        assert reply.delay_s < dead_air_s, f"{reply.delay_s:.1f} s of dead air"
        return reply

    def press(self, digit: str) -> None:
        assert self.peer.press(self.call, digit), "the agent's data channel is not open"

    def hang_up(self) -> None:
        self.peer.hang_up(self.call)

    def job_status(self, timeout_s: float = 30.0) -> int:
        """The job's final status as the worker reported it (``agent.JS_SUCCESS`` …)."""
        return self.peer.wait_for_job_end(self.call, timeout_s)

    def agent_left(self, timeout_s: float = 30.0) -> bool:
        """The agent's connection is gone (it hung up, or the room was deleted)."""
        return self.peer.wait_until(
            lambda: self.call.agent is not None and self.call.agent.closed.is_set(), timeout_s
        )

    def record(self, timeout_s: float = 30.0, *, ended: bool = True) -> dict[str, Any]:
        """The stored call record, once it has an outcome (``ended``) or at all."""
        deadline = time.monotonic() + timeout_s
        answer: dict[str, Any] = {}
        while time.monotonic() < deadline:
            response = httpx.get(
                f"{self.rig.api_url}/v1/calls/{self.call_id}",
                headers=self.rig.staff_headers(),
                timeout=10,
            )
            if response.status_code == 200:
                answer = response.json()
                if not ended or answer.get("outcome"):
                    return answer
            time.sleep(0.3)
        raise AssertionError(f"no {'ended ' if ended else ''}call record: {answer}")


@dataclass(frozen=True)
class Reply:
    """One thing the agent said: when it started and stopped, and the audio."""

    after: float
    started: float | None
    ended: float | None
    audio: Pcm

    @property
    def heard(self) -> bool:
        return self.started is not None

    @property
    def delay_s(self) -> float:
        """From ``after`` (usually the caller's end of speech) to the agent's first sound."""
        assert self.started is not None, "the agent said nothing"
        return self.started - self.after

    @property
    def seconds(self) -> float:
        return self.audio.duration_s


def twirp_requests(rig: WorkerRig, method: str, room: str) -> list[Any]:
    """What the agent asked LiveKit's server API to do to this call's room."""
    assert rig.peer is not None
    found = []
    for request in rig.peer.twirp.requests:
        message = request.message
        if request.method != method or message is None:
            continue
        if getattr(message, "room_name", None) == room or getattr(message, "room", None) == room:
            found.append(message)
    return found


def _restore(environment: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environment)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the worker drains), then SIGKILL: no process outlives the test."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 15)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait(timeout=5)


def agent_lines(record: dict[str, Any]) -> list[str]:
    """What the agent said, line by line, in a stored call record."""
    return [turn["text"] for turn in record["turns"] if turn["role"] == "agent"]
