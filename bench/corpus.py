"""The agent's side of real hotel calls: every scenario played through the receptionist.

A TTS cache is only as good as the text it is asked to speak, so the corpus is what the
production receptionist (fallback policy) actually says on the scenario suite's calls,
turn by turn, in call order: greeting, questions, answers with tool results, goodbyes.
Each call keeps its structure because a call is what the agent's cache sees, one after
another. The scenarios are played exactly as ``tests/scenarios`` plays them: the local
control plane's PMS API and the LiveKit server peer for the line.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from bench import use_test_peers
from hotelvoice.settings import get_settings


class Utterance(BaseModel):
    """One agent turn, as the TTS engine would be asked to speak it."""

    text: str
    language: str


class CorpusCall(BaseModel):
    """One call's agent turns in the order they were spoken."""

    call_id: str
    scenario: str
    hotel_id: str
    language: str
    utterances: list[Utterance]


class Corpus(BaseModel):
    """The calls of the scenario suite, in suite order (language file, then file order)."""

    calls: list[CorpusCall]
    play_s: float
    """Wall time spent playing the scenarios (control plane start included)."""

    @property
    def utterances(self) -> int:
        """Agent turns across every call."""
        return sum(len(call.utterances) for call in self.calls)


def agent_utterances(transcript: Any) -> list[Utterance]:
    """The agent turns of a ``CallTranscript``, each with the language it was spoken in.

    The transcript records the language a call started and ended in; when the caller
    switched, each turn's language is detected from its text (lingua, as the agent does).

    Args:
        transcript: A ``realtime_agent.transcript.CallTranscript``.

    Returns:
        The agent's non-empty turns in call order.
    """
    start = transcript.language
    end = transcript.final_language or start
    turns = [t.text.strip() for t in transcript.turns if t.role == "agent" and t.text.strip()]
    if start == end:
        return [Utterance(text=text, language=start) for text in turns]
    from realtime_agent.language_detection import detect_language  # lingua

    utterances = []
    for text in turns:
        detection = detect_language(text)
        utterances.append(Utterance(text=text, language=detection.language if detection else end))
    return utterances


async def play_corpus(languages: tuple[str, ...] | None = None, limit: int | None = None) -> Corpus:
    """Play the scenarios (all, or the first ``limit`` per language) and keep the agent turns.

    Scenarios run one after another: the LiveKit peer's scripted line failures apply to
    "the next transfer", so calls played side by side would steal each other's failures.

    Args:
        languages: Scenario files to play; every language file when None.
        limit: At most this many scenarios per language (tests use a couple).

    Returns:
        The corpus, calls in suite order.
    """
    from local_mode.control_plane import LocalControlPlane  # heavy

    use_test_peers()
    import scenario  # tests/scenarios, on the path from here on
    from peers.livekit_server_peer import LiveKitServerPeer  # tests/ path
    from scenario_report import LIVEKIT_KEY, LIVEKIT_SECRET  # tests/ path

    started = time.perf_counter()
    saved = dict(os.environ)
    plane = LocalControlPlane().start()
    calls: list[CorpusCall] = []
    try:
        os.environ["HOTELVOICE_API_URL"] = plane.serve()
        get_settings.cache_clear()
        with LiveKitServerPeer(api_key=LIVEKIT_KEY, api_secret=LIVEKIT_SECRET) as line:
            for language in languages or scenario.LANGUAGES:
                for played in scenario.load_scenarios(language)[:limit]:
                    with _quiet():  # the functions' metrics and the agent's logs
                        _, transcript = await scenario.play(played, plane, line)
                    calls.append(
                        CorpusCall(
                            call_id=transcript.call_id,
                            scenario=f"{language}/{played.id}",
                            hotel_id=transcript.hotel_id,
                            language=transcript.language,
                            utterances=agent_utterances(transcript),
                        )
                    )
    finally:
        plane.stop()
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
    return Corpus(calls=calls, play_s=round(time.perf_counter() - started, 2))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield
