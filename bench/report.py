"""``speech.json``, ``speech.png`` and the summary ``make bench`` prints.

Targets come from the architecture's numbers (ARCHITECTURE.md §5); ``meets`` compares this
run's results with them. Every number in a result was measured in the same run on the same
machine, so read them against each other, not against another machine's.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # files only: no display on CI or a server
import matplotlib.pyplot as plt
from pydantic import BaseModel

from bench.asr_proxy import AsrResult
from bench.riva_peer import CHUNK_S
from bench.stats import Machine, save_figure, write_model_json
from bench.tts_cache import TtsResult


class Targets(BaseModel):
    """What the speech plane promises (ARCHITECTURE.md §5)."""

    tts_hit_ratio_min: float = 0.6
    tts_hit_p99_ms_max: float = 5.0
    asr_added_ms_per_chunk_max: float = 2.0
    asr_concurrent_streams: int = 100


class Meets(BaseModel):
    """Each target, held or not, in this run."""

    tts_hit_ratio_cold: bool
    """The cold in-process cache alone."""
    tts_hit_ratio_prewarmed: bool
    """After pre-warming the fixed prompts, as the agent does at start-up."""
    tts_hit_p99: bool
    asr_added_ms_per_chunk: bool
    """Median proxied minus median direct round trip per chunk."""
    asr_concurrent_streams_completed: bool
    """Every one of the concurrent streams completed, none refused."""
    asr_concurrent_streams_cpu: bool
    """One proxy process (``gpu_asr/Dockerfile`` runs one uvicorn worker, and one event loop
    uses one core) has the CPU for that many real-time streams, at this run's CPU per stream."""


class SpeechBench(BaseModel):
    """Everything ``make bench`` measured on the speech plane."""

    machine: Machine
    seconds: dict[str, float]
    tts: TtsResult
    asr: AsrResult
    targets: Targets
    meets: Meets


def judge(tts: TtsResult, asr: AsrResult, targets: Targets) -> Meets:
    """Compare a run with the targets."""
    runs = tts.runs.values()
    crowd = next((c for c in asr.concurrency if c.streams == targets.asr_concurrent_streams), None)
    return Meets(
        tts_hit_ratio_cold=tts.runs["lru"].hit_ratio >= targets.tts_hit_ratio_min,
        tts_hit_ratio_prewarmed=tts.runs["prewarmed"].hit_ratio >= targets.tts_hit_ratio_min,
        tts_hit_p99=all(r.hit_latency.p99_ms <= targets.tts_hit_p99_ms_max for r in runs),
        asr_added_ms_per_chunk=asr.overhead.added_ms_p50 <= targets.asr_added_ms_per_chunk_max,
        asr_concurrent_streams_completed=crowd is not None
        and crowd.completed == crowd.streams
        and not crowd.refused,
        asr_concurrent_streams_cpu=crowd is not None
        and crowd.proxy_streams_per_core >= crowd.streams,
    )


def write_json(bench: SpeechBench, path: Path) -> Path:
    """The whole result as indented JSON."""
    write_model_json(bench, path)
    return path


def write_chart(bench: SpeechBench, path: Path) -> Path:
    """Three panels: TTS hit ratios, latencies per unit of work, ASR proxy under load."""
    fig, (ratios, latency, crowd) = plt.subplots(1, 3, figsize=(17, 5.2))
    _hit_ratios(ratios, bench)
    _latencies(latency, bench)
    _concurrency(crowd, bench)
    fig.suptitle(
        f"hotelvoice speech plane, {bench.machine.cpus_usable} CPUs, "
        f"Python {bench.machine.python}, load {bench.machine.load_average[0]:g} at start "
        "(one run: compare bars with each other)"
    )
    save_figure(fig, path)
    return path


def _hit_ratios(ax: plt.Axes, bench: SpeechBench) -> None:
    runs = list(bench.tts.runs.values())
    languages = sorted({lang for run in runs for lang in run.by_language})
    series = ["all", *languages]
    width = 0.8 / len(series)
    for i, label in enumerate(series):
        values = [
            run.hit_ratio
            if label == "all"
            else run.by_language[label].hit_ratio
            if label in run.by_language
            else 0.0
            for run in runs
        ]
        xs = [n + (i - (len(series) - 1) / 2) * width for n in range(len(runs))]
        ax.bar(xs, values, width, label=label, color=None if label != "all" else "black")
    ax.axhline(bench.targets.tts_hit_ratio_min, color="red", linestyle="--", label="target")
    ax.set_xticks(range(len(runs)), [run.name.replace("_", "\n") for run in runs], fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of agent sentences served from the cache")
    ax.set_title(
        f"TTS cache: {bench.tts.runs['lru'].utterances} sentences in {bench.tts.utterances} turns "
        f"of {bench.tts.calls} calls"
    )
    ax.legend(fontsize=7, ncol=3)


def _latencies(ax: plt.Axes, bench: SpeechBench) -> None:
    cold, second = bench.tts.runs["lru"], bench.tts.runs["shared_second_agent"]
    overhead = bench.asr.overhead
    rows = [
        ("TTS hit\n(LRU)", cold.hit_latency),
        ("TTS hit\n(shared)", second.shared_hit_latency),
        ("TTS miss\n(espeak)", cold.miss_latency),
        ("ASR chunk\ndirect", overhead.direct),
        ("ASR chunk\nproxied", overhead.proxied),
    ]
    xs = range(len(rows))
    ax.bar([x - 0.2 for x in xs], [r.p50_ms for _, r in rows], 0.4, label="p50")
    ax.bar([x + 0.2 for x in xs], [r.p99_ms for _, r in rows], 0.4, label="p99")
    target = bench.targets.tts_hit_p99_ms_max
    ax.axhline(target, color="red", linestyle="--", label=f"TTS hit p99 target {target:g} ms")
    ax.set_yscale("log")
    ax.set_xticks(list(xs), [name for name, _ in rows], fontsize=8)
    ax.set_ylabel("ms (log scale)")
    ax.set_title(
        f"Latency: proxy adds {overhead.added_ms_p50:.2f} ms per chunk (p50), "
        f"×{overhead.ratio_p50:g}"
    )
    ax.legend(fontsize=8)


def _concurrency(ax: plt.Axes, bench: SpeechBench) -> None:
    crowds = bench.asr.concurrency
    streams = [c.streams for c in crowds]
    ax.plot(streams, [c.chunk_latency.p50_ms for c in crowds], "o-", label="p50 per chunk")
    ax.plot(streams, [c.chunk_latency.p95_ms for c in crowds], "s-", label="p95 per chunk")
    ax.axhline(CHUNK_S * 1000, color="grey", linestyle=":", label="one chunk (100 ms)")
    notes = [
        f"{c.streams}: {c.completed} done, {c.refused} refused, proxy "
        f"{c.proxy_cpu_ms_per_audio_s:.1f} ms CPU per audio s"
        for c in crowds
    ]
    ax.text(
        0.98, 0.03, "\n".join(notes), transform=ax.transAxes, ha="right", va="bottom", fontsize=7
    )
    ax.set_xticks(streams)
    ax.set_yscale("log")
    ax.set_xlabel("concurrent live streams through the proxy")
    ax.set_ylabel("chunk → partial, ms (log scale)")
    ax.set_title(f"ASR proxy under load (max streams {bench.asr.max_streams})")
    ax.legend(fontsize=8)


def summary(bench: SpeechBench) -> str:
    """A few lines for the terminal."""
    tts, asr, meets = bench.tts, bench.asr, bench.meets
    cold, warm = tts.runs["lru"], tts.runs["prewarmed"]
    second = tts.runs["shared_second_agent"]
    ok = {True: "ok", False: "MISSED"}
    lines = [
        f"corpus: {tts.calls} calls, {tts.utterances} agent turns, {tts.distinct_texts} distinct",
        f"TTS hit ratio: cold {cold.hit_ratio:.1%} [{ok[meets.tts_hit_ratio_cold]}], "
        f"pre-warmed {warm.hit_ratio:.1%} [{ok[meets.tts_hit_ratio_prewarmed]}], "
        f"second agent on the shared tier {second.hit_ratio:.1%}; "
        f"{cold.personal} of {cold.utterances} sentences never cached (personal data)",
        "  per language (cold): "
        + ", ".join(f"{k} {v.hit_ratio:.0%}" for k, v in cold.by_language.items()),
        f"TTS latency: LRU hit p50 {cold.hit_latency.p50_ms:.2f} / p99 "
        f"{cold.hit_latency.p99_ms:.2f} ms [{ok[meets.tts_hit_p99]}], shared hit p50 "
        f"{second.shared_hit_latency.p50_ms:.1f} ms, espeak miss p50 "
        f"{cold.miss_latency.p50_ms:.1f} ms",
        f"ASR per chunk: direct p50 {asr.overhead.direct.p50_ms:.2f} ms, proxied "
        f"{asr.overhead.proxied.p50_ms:.2f} ms: +{asr.overhead.added_ms_p50:.2f} ms "
        f"(p95 +{asr.overhead.added_ms_p95:.2f}) [{ok[meets.asr_added_ms_per_chunk]}]",
    ]
    for c in asr.concurrency:
        lines.append(
            f"  {c.streams:>3} streams: {c.completed} completed, {c.refused} refused, "
            f"{c.failed} failed; chunk p95 {c.chunk_latency.p95_ms:.1f} ms; proxy "
            f"{c.proxy_cpu_ms_per_audio_s:.1f} ms CPU per audio second "
            f"(~{c.proxy_streams_per_core:.0f} streams per core)"
        )
    lines.append(
        f"ASR {bench.targets.asr_concurrent_streams} streams: all completed "
        f"[{ok[meets.asr_concurrent_streams_completed]}], one proxy process has the CPU "
        f"[{ok[meets.asr_concurrent_streams_cpu]}]"
    )
    return "\n".join(lines)
