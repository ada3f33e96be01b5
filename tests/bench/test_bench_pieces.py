"""The benchmark's own arithmetic: corpus extraction, cache accounting, targets, output files.

``make bench`` itself is not a test (its numbers depend on the machine); these check that
what it reports is counted right, on inputs small enough to reason about.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bench.asr_proxy import AsrResult, ConcurrencyResult, overhead_of
from bench.corpus import Corpus, CorpusCall, Utterance, agent_utterances
from bench.event_path import (
    BASELINE,
    BATCHED,
    EventPathResult,
    WireCounter,
    kind_of,
    ratios,
    summarise,
)
from bench.event_report import event_summary, write_event_chart, write_event_json
from bench.report import SpeechBench, Targets, judge, summary, write_chart, write_json
from bench.riva_peer import CHUNK_S, RATE, one_word_per_chunk
from bench.stats import machine, percentiles
from bench.tts_cache import (
    LanguageHits,
    TtsResult,
    TtsRun,
    espeak_router,
    hotel_public_texts,
    lru_tier,
    replay,
)
from hotelvoice.contracts.call_events import Outcome
from hotelvoice.speech.audio import Pcm
from realtime_agent.call_events import CallEventReporter
from realtime_agent.http_client import control_plane_client
from realtime_agent.transcript import CallTranscript, TranscriptTurn
from tests.peers.aiohttp_thread import ThreadedAiohttpServer

GREETING = "Thank you for calling Hotel Aurora Berlin. How can I help you today?"


def _turn(role: str, text: str) -> TranscriptTurn:
    return TranscriptTurn(role=role, text=text, started_ms=0.0, duration_ms=0.0)


def test_agent_utterances_keep_order_and_skip_caller_and_blank_turns() -> None:
    transcript = CallTranscript(
        call_id="c1",
        hotel_id="aurora-berlin",
        language="en",
        dialogue_engine="fallback",
        outcome=Outcome.COMPLETED,
        turns=[
            _turn("agent", GREETING),
            _turn("caller", "what time is check-in"),
            _turn("agent", "  "),
            _turn("agent", "Check-in is from 15:00."),
        ],
    )
    assert agent_utterances(transcript) == [
        Utterance(text=GREETING, language="en"),
        Utterance(text="Check-in is from 15:00.", language="en"),
    ]


async def test_replay_counts_repeats_as_hits_and_personal_text_as_misses() -> None:
    personal = "Your booking is under the name Rossi, phone +49 170 1234567."
    corpus = Corpus(
        calls=[
            CorpusCall(
                call_id=f"c{n}",
                scenario="en/x",
                hotel_id="aurora-berlin",
                language="en",
                utterances=[
                    Utterance(text=GREETING, language="en"),
                    Utterance(text=personal, language="en"),
                ],
            )
            for n in range(2)
        ],
        play_s=0.0,
    )
    run = await replay("lru", espeak_router([lru_tier()]), corpus, ("Rossi",))
    # sentence by sentence, as the session speaks: the greeting is two, the personal line one
    assert (run.utterances, run.hits, run.personal) == (6, 2, 2)
    assert run.hit_ratio == round(2 / 6, 4)
    assert run.cacheable_hit_ratio == 0.5  # the greeting's sentences: missed, then hit
    assert run.hits_by_tier == {"lru": 2}
    assert (run.hit_latency.n, run.miss_latency.n) == (2, 4)
    assert "+49 30 5550 1000" in hotel_public_texts()


def test_the_peer_hears_one_more_word_per_chunk() -> None:
    chunk = b"\0" * int(RATE * CHUNK_S) * 2
    heard = [one_word_per_chunk(Pcm(chunk * n, RATE)) for n in (1, 2, 3)]
    assert [len(t.words) for t in heard] == [1, 2, 3]
    assert all(t.words[-1].end_s < n * CHUNK_S for n, t in enumerate(heard, 1))


def test_percentiles_in_milliseconds() -> None:
    summary_ = percentiles([i / 1000 for i in range(1, 101)])
    assert (summary_.n, summary_.max_ms) == (100, 100.0)
    assert summary_.p50_ms == pytest.approx(50.5)
    assert percentiles([]).n == 0


def _run(name: str, hits: int) -> TtsRun:
    """Ten English turns, ``hits`` of them served by the LRU in 1 ms."""
    return TtsRun(
        name=name,
        utterances=10,
        hits=hits,
        hit_ratio=hits / 10,
        cacheable_hit_ratio=hits / 10,
        hits_by_tier={"lru": hits},
        by_language={"en": LanguageHits(utterances=10, hits=hits, hit_ratio=hits / 10)},
        personal=0,
        hit_latency=percentiles([0.001] * hits),
        shared_hit_latency=percentiles([]),
        miss_latency=percentiles([0.03] * (10 - hits)),
    )


def _bench(cold_hits: int, added_ms: float, streams_per_core: float) -> SpeechBench:
    names = ["lru", "shared_first_agent", "shared_second_agent", "prewarmed"]
    runs = {name: _run(name, cold_hits if name == "lru" else 7) for name in names}
    tts = TtsResult(calls=2, utterances=10, distinct_texts=5, runs=runs)
    direct = [0.001] * 10
    crowd = ConcurrencyResult(
        streams=100,
        completed=100,
        refused=0,
        failed=0,
        chunk_latency=percentiles(direct),
        wall_s=5.0,
        proxy_cpu_s=1.0,
        peer_cpu_s=1.0,
        callers_cpu_s=1.0,
        proxy_cpu_ms_per_audio_s=1000 / streams_per_core,
        proxy_streams_per_core=streams_per_core,
    )
    asr = AsrResult(
        phrase="x",
        audio_s=1.0,
        max_streams=100,
        overhead=overhead_of(direct, [0.001 + added_ms / 1000] * 10, 10),
        concurrency=[crowd],
    )
    targets = Targets()
    return SpeechBench(
        machine=machine(),
        seconds={},
        tts=tts,
        asr=asr,
        targets=targets,
        meets=judge(tts, asr, targets),
    )


def test_targets_are_judged_against_this_run() -> None:
    good = _bench(cold_hits=6, added_ms=1.5, streams_per_core=120).meets
    bad = _bench(cold_hits=5, added_ms=2.5, streams_per_core=80).meets
    assert (good.tts_hit_ratio_cold, bad.tts_hit_ratio_cold) == (True, False)  # 60 % vs 50 %
    assert (good.tts_hit_ratio_prewarmed, bad.tts_hit_ratio_prewarmed) == (True, True)
    assert (good.asr_added_ms_per_chunk, bad.asr_added_ms_per_chunk) == (True, False)
    assert (good.asr_concurrent_streams_cpu, bad.asr_concurrent_streams_cpu) == (True, False)
    assert good.asr_concurrent_streams_completed


def test_json_round_trips_and_the_chart_is_a_png(tmp_path: Path) -> None:
    bench = _bench(cold_hits=6, added_ms=1.5, streams_per_core=120)
    saved = write_json(bench, tmp_path / "speech.json")
    assert SpeechBench.model_validate_json(saved.read_text()) == bench
    chart = write_chart(bench, tmp_path / "speech.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "+1.50 ms" in summary(bench)


# -- The event path: requests and clients counted on the wire ------------------------------


def test_requests_are_sorted_into_events_pms_and_other() -> None:
    assert kind_of("/v1/calls/c-1/events") == "events"
    assert kind_of("/v1/calls/c-1/events/batch") == "events"
    assert kind_of("/v1/hotels/aurora-berlin/availability") == "pms"
    assert kind_of("/v1/dialled-numbers/+4930") == "pms"
    assert kind_of("/v1/calls/c-1") == "other"
    assert kind_of("/health") == "other"


@pytest.fixture
def api_peer():
    """Accepts any call's events (batched or one), answers hotel info and health."""

    async def accepted(request: web.Request) -> web.Response:
        return web.json_response({"accepted": True}, status=202)

    async def ok(request: web.Request) -> web.Response:
        return web.json_response({})

    def app() -> web.Application:
        application = web.Application()
        application.router.add_post("/v1/calls/{call_id}/events", accepted)
        application.router.add_post("/v1/calls/{call_id}/events/batch", accepted)
        application.router.add_get("/v1/hotels/{hotel_id}/info", ok)
        application.router.add_get("/health", ok)
        return application

    server = ThreadedAiohttpServer(app, "bench-api-peer")
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def report(reporter: CallEventReporter) -> None:
    reporter.started("aurora-berlin", "en", None)
    for n in range(3):
        reporter.turn("caller", f"line {n}")
    reporter.ended(Outcome.COMPLETED)


async def test_the_wire_counter_counts_requests_events_and_clients(api_peer: str) -> None:
    control_plane_client()  # the process's client exists before, as after a warm-up call
    batched, baseline = WireCounter(), WireCounter()
    with batched.counting():
        reporter = CallEventReporter(api_peer, "t", "bench-1")
        report(reporter)
        await reporter.aclose()
        await control_plane_client().get(f"{api_peer}/v1/hotels/h/info")
    with baseline.counting():
        transport = httpx.AsyncHTTPTransport()
        reporter = CallEventReporter(
            api_peer, "t", "bench-2", transport=transport, max_batch=1, linger_s=0
        )
        report(reporter)
        await reporter.aclose()
        await control_plane_client().get(f"{api_peer}/health")
    assert (dict(batched.requests), batched.events, batched.clients) == (
        {"events": 1, "pms": 1},
        5,
        0,
    )
    assert (dict(baseline.requests), baseline.events, baseline.clients) == (
        {"events": 5, "other": 1},
        5,
        1,
    )
    # Counting stops with the block: nothing here is counted.
    await control_plane_client().get(f"{api_peer}/health")
    assert sum(baseline.requests.values()) == 6


def test_per_call_figures_and_ratios_and_the_files(tmp_path: Path) -> None:
    fast, slow = WireCounter(), WireCounter()
    fast.requests.update({"events": 22, "pms": 10})
    fast.events = 54
    slow.requests.update({"events": 54, "pms": 10})
    slow.events, slow.clients = 54, 4
    runs = {
        BATCHED: summarise(BATCHED, 2, fast, (0.8, 0.2), 0),
        BASELINE: summarise(BASELINE, 2, slow, (1.2, 0.5), 0),
    }
    assert runs[BATCHED].requests_per_call == {"events": 11.0, "pms": 5.0, "other": 0.0}
    assert (runs[BASELINE].clients_per_call, runs[BASELINE].events_per_call) == (2.0, 27.0)
    assert ratios(runs[BATCHED], runs[BASELINE]) == {
        "event_requests": round(27 / 11, 2),
        "all_requests": 2.0,
        "process_cpu": 1.5,
        "agent_cpu": 2.5,
    }
    result = EventPathResult(
        machine=machine(),
        script=["hello"] * 9,
        runs=runs,
        ratios=ratios(runs[BATCHED], runs[BASELINE]),
    )
    saved = write_event_json(result, tmp_path / "events.json")
    assert EventPathResult.model_validate_json(saved.read_text()) == result
    assert (
        write_event_chart(result, tmp_path / "events.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    )
    assert "event requests ×2.45" in event_summary(result)
