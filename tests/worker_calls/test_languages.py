"""Whole calls in German, French, Spanish and Italian: the real worker, Riva behind the proxy.

What is real: the caller's espeak speech in their language goes over WebRTC (Opus) to the
worker (``python -m realtime_agent start``), whose STT streams it to the ASR proxy
subprocess, which runs its ``riva`` backend and streams it on to a Riva gRPC server
(``peers/riva_asr_peer.py``) with the language the agent hinted; the agent's language
detection, dialogue, catalogs and espeak voices are the production ones, and what it says is
recorded from its WebRTC track and read back from the call record.

What is scripted: the recognition. Our only local recogniser (pocketsphinx) knows en-US, so
the Riva peer answers each caller utterance with the transcript the test queued for it
(``say(text)``), taken when the utterance's speech begins and finalised when the peer's
endpointing hears it end, as Riva does on a live call. The peer answers whatever language the
proxy asks for: it records the ``language_code`` of every request, and the tests check it,
because that request is what a real Riva model would have to understand.

Two ways a call gets its language, both covered:

- the hotel's first language is the caller's (de, fr): the greeting is in that language and
  the proxy asks Riva for that language's model from the first word;
- the hotel answers in English and the caller speaks another language (es, it): the agent
  detects it from the transcript, answers in it, and from then on asks Riva for that
  language's model too.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from agent_speech import says
from livekit.protocol import agent as agent_pb
from peers.netns import NetworkNamespace
from peers.riva_asr_peer import RivaAsrPeer
from rig import QUIET_S, LiveCall, Reply, WorkerRig, caller_speech

from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from hotelvoice.speech.riva_locales import riva_language
from realtime_agent.fallback.replies import Replies

ENDPOINT_SILENCE_S = 0.8
"""Riva's own end of utterance on a live stream: 800 ms of silence (its default)."""
SPEAKS_WITHIN_S = 10.0
"""A generous bound on dead air: the agent answers well before the caller would give up."""
LINE_TIMEOUT_S = 30.0
"""How long a line the agent started may take to be played out and recorded."""


@dataclass(frozen=True)
class Caller:
    """One caller: what they say (espeak) and what Riva hears (lowercase, no punctuation)."""

    language: str
    asks: str
    """Whether there is a room for two adults, no dates: the agent asks for the arrival."""
    arrives: str
    """The arrival date, in a follow-up turn: the agent asks for the departure."""

    @staticmethod
    def transcript(text: str) -> str:
        """What Riva returns for ``text`` with verbatim transcripts and no punctuation."""
        return " ".join(
            "".join(c if c.isalpha() or c == "'" else " " for c in text.lower()).split()
        )


CALLERS = {
    "de": Caller(
        "de", "Guten Tag, haben Sie ein Zimmer für zwei Erwachsene?", "Am fünfzehnten Juni."
    ),
    "fr": Caller("fr", "Bonjour, avez-vous une chambre pour deux adultes ?", "Le quinze juin."),
    "es": Caller("es", "Hola, ¿tienen una habitación para dos adultos?", "El quince de junio."),
    "it": Caller("it", "Buongiorno, avete una camera per due adulti?", "Il quindici giugno."),
}


def _free_port() -> int:
    """A port to give the Riva peer before the namespace's host address exists."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def riva() -> RivaAsrPeer:
    """The Riva server the proxy talks to; it serves the five languages' models."""
    return RivaAsrPeer(
        languages=[riva_language(lang) for lang in ("en", *CALLERS)],
        endpoint_silence_s=ENDPOINT_SILENCE_S,
    )


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory, riva: RivaAsrPeer) -> Iterator[WorkerRig]:
    """The worker, its ASR proxy on the riva backend, and the Riva peer on the host end."""
    ns = NetworkNamespace()
    riva.host, riva.port = ns.host_address, _free_port()
    settings = {"HOTELVOICE_ASR_BACKEND": "riva", "HOTELVOICE_RIVA_URI": riva.uri}
    logs: Path = tmp_path_factory.mktemp("worker")
    with WorkerRig(logs, settings, ns=ns) as running, riva:
        yield running


@contextlib.contextmanager
def hotel_speaks_first(rig: WorkerRig, language: str) -> Iterator[None]:
    """The demo hotel lists ``language`` first (its greeting's) for the calls inside."""
    url = f"{rig.api_url}/v1/hotels/{DEMO_HOTEL_ID}/config"
    original = _put_languages(rig, url, lambda languages: languages)
    _put_languages(rig, url, lambda languages: [language, *(x for x in languages if x != language)])
    try:
        yield
    finally:
        _put_languages(rig, url, lambda _languages: original)


def _put_languages(rig: WorkerRig, url: str, change: Any) -> list[str]:
    """Apply ``change`` to the hotel's languages; returns them as they were."""
    current = httpx.get(url, headers=rig.staff_headers(), timeout=10)
    current.raise_for_status()
    config = current.json()
    before = list(config["languages"])
    update = {k: v for k, v in config.items() if k not in {"hotel_id", "updated_at", "updated_by"}}
    update["languages"] = change(before)
    if update["languages"] != before:
        written = httpx.put(url, json=update, headers=rig.staff_headers(), timeout=10)
        assert written.status_code == 200, written.text
    return before


def _turns(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [(turn["role"], turn["text"]) for turn in record["turns"]]


def _asked_riva(riva: RivaAsrPeer, since: int) -> list[str]:
    """The model language of each utterance Riva was asked to recognise since ``since``."""
    return [request.config.language_code for request in riva.requests[since:]]


def _assert_says(reply: Reply, line: str, language: str, others: list[str]) -> None:
    """The agent's audio is its recorded line in its language's voice, not another line."""
    assert says(reply.audio, line, language, others=others), f"the audio is not {line!r}"


def _agent_line(call: LiveCall, after: float, count: int) -> Reply:
    """The agent's ``count``-th line, heard from its first sound after ``after`` to its end.

    The line has ended when the call record has it (the agent records a line once it has
    been played out), not at the first pause: an agent starved of CPU by other tests may
    pause longer mid-line than the rig's quiet gap, and a caller who spoke into that pause
    would cut the line short.
    """
    first = call.reply(after=after)
    assert first.heard, "dead air: the agent said nothing"
    deadline = time.monotonic() + LINE_TIMEOUT_S
    while sum(role == "agent" for role, _ in _turns(call.record(ended=False))) < count:
        assert time.monotonic() < deadline, f"the agent's line {count} was never recorded"
        time.sleep(0.3)
    agent = call.call.agent
    assert agent is not None
    assert first.started is not None
    while True:  # the line's last packets may still be on their way
        ended = max(f.at for f in agent.ear.frames if f.at >= first.started and f.loud)
        if time.time() - ended >= QUIET_S:
            return Reply(after, first.started, ended, agent.ear.audio(first.started, ended + 0.05))
        time.sleep(0.05)


def _turn(call: LiveCall, riva: RivaAsrPeer, caller: Caller, text: str, agent_lines: int) -> Reply:
    """The caller says ``text`` (Riva will hear its transcript); the agent's next line."""
    speech = caller_speech(text, caller.language)  # before scripting: a failure leaves none
    riva.say(caller.transcript(text))
    asked = call.peer.say(call.call, speech)
    answer = _agent_line(call, asked, agent_lines + 1)
    assert answer.delay_s < SPEAKS_WITHIN_S
    return answer


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_hotel_that_answers_in_the_callers_language_is_heard_in_it_from_the_first_word(
    worker_rig: WorkerRig, riva: RivaAsrPeer, language: str
) -> None:
    caller = CALLERS[language]
    replies = Replies(HOTEL, language)
    with hotel_speaks_first(worker_rig, language):
        call = worker_rig.dial()
        call.answered()
        greeting = _agent_line(call, 0.0, 1)
        assert greeting.seconds > 2.0
        since = len(riva.requests)
        answer = _turn(call, riva, caller, caller.asks, agent_lines=1)
        call.hang_up()
        assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert _turns(record) == [
        ("agent", replies.greeting),
        ("caller", caller.transcript(caller.asks)),
        ("agent", replies.ask_arrival),
    ]
    assert record["language"] == language
    assert record["outcome"] == "abandoned"
    assert _asked_riva(riva, since) == [riva_language(language)]
    _assert_says(greeting, replies.greeting, language, others=[replies.ask_arrival])
    _assert_says(
        answer, replies.ask_arrival, language, others=[replies.not_understood, replies.greeting]
    )


@pytest.mark.parametrize("language", ["es", "it"])
def test_a_caller_in_another_language_is_answered_and_then_heard_in_theirs(
    worker_rig: WorkerRig, riva: RivaAsrPeer, language: str
) -> None:
    caller = CALLERS[language]
    replies, english = Replies(HOTEL, language), Replies(HOTEL, "en")
    call = worker_rig.dial()
    call.answered()
    greeting = _agent_line(call, 0.0, 1)
    assert greeting.seconds > 2.0
    since = len(riva.requests)
    answer = _turn(call, riva, caller, caller.asks, agent_lines=1)
    then = _turn(call, riva, caller, caller.arrives, agent_lines=2)
    call.hang_up()
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    assert _turns(record) == [
        ("agent", english.greeting),
        ("caller", caller.transcript(caller.asks)),
        ("agent", replies.ask_arrival),
        ("caller", caller.transcript(caller.arrives)),
        ("agent", replies.ask_departure),
    ]
    assert record["language"] == language
    # The first words go to the hotel's language model (nothing else is known yet); once
    # the agent has switched, the caller is recognised with their own language's model.
    assert _asked_riva(riva, since) == [riva_language("en"), riva_language(language)]
    _assert_says(greeting, english.greeting, "en", others=[english.ask_arrival])
    _assert_says(
        answer,
        replies.ask_arrival,
        language,
        others=[replies.ask_departure, replies.not_understood],
    )
    _assert_says(
        then, replies.ask_departure, language, others=[replies.ask_arrival, replies.not_understood]
    )
