"""``python -m bench`` (``make bench``): the speech benchmarks and the agent's event path.

Writes ``out/bench/corpus.json``, ``out/bench/speech.json`` and ``out/bench/speech.png``,
then ``out/bench/events.json`` and ``out/bench/events.png``, then the functions' cold starts
against a naive FastAPI app, ``out/bench/cold_start.json`` and ``out/bench/cold_start.png``,
then the Lambda artifacts' sizes, ``out/bench/artifacts.json`` and ``out/bench/artifacts.png``.
``--corpus`` replays a saved corpus instead of playing the scenarios again (two minutes saved
while working on the cache); ``--only speech``, ``--only events``, ``--only cold`` or
``--only artifacts`` runs one part.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.artifact_sizes import (
    artifact_summary,
    run_artifact_sizes,
    write_artifact_chart,
    write_artifact_json,
)
from bench.asr_proxy import run_asr
from bench.cold_start import (
    cold_start_summary,
    run_cold_starts,
    write_cold_start_chart,
    write_cold_start_json,
)
from bench.corpus import Corpus, play_corpus
from bench.event_path import EventPathResult, run_event_path
from bench.event_report import event_summary, write_event_chart, write_event_json
from bench.report import SpeechBench, Targets, judge, summary, write_chart, write_json
from bench.stats import machine
from bench.tts_cache import run_tts

OUT = Path("out/bench")


async def main(saved: Corpus | None, out: Path) -> SpeechBench:
    """Run every piece in turn (one at a time: they would skew each other's numbers)."""
    seconds: dict[str, float] = {}
    host = machine()
    started = time.perf_counter()
    if saved is None:
        print("playing the scenario suite for the corpus…", flush=True)
    corpus = saved or await play_corpus()
    seconds["corpus"] = round(time.perf_counter() - started, 1)
    await asyncio.to_thread(_write_corpus, corpus, out / "corpus.json")

    print(
        f"replaying {corpus.utterances} agent turns, sentence by sentence, through the TTS router…",
        flush=True,
    )
    started = time.perf_counter()
    tts = await run_tts(corpus, datetime.now(UTC).date())
    seconds["tts"] = round(time.perf_counter() - started, 1)

    print("streaming through the ASR proxy…", flush=True)
    started = time.perf_counter()
    asr = await run_asr()
    seconds["asr"] = round(time.perf_counter() - started, 1)

    targets = Targets()
    return SpeechBench(
        machine=host,
        seconds=seconds,
        tts=tts,
        asr=asr,
        targets=targets,
        meets=judge(tts, asr, targets),
    )


async def events_main() -> EventPathResult:
    """The event path on its own (after the speech plane: they would skew each other)."""
    print("playing the demo call batched and one event a request…", flush=True)
    return await run_event_path()


def _write_corpus(corpus: Corpus, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(corpus.model_dump_json(indent=1) + "\n", encoding="utf-8")


def _report(
    stem: Path,
    result: Any,
    write_result: Callable[[Any, Path], Any],
    write_picture: Callable[[Any, Path], Any],
    summarise: Callable[[Any], str],
) -> None:
    """One part's ``<stem>.json`` and ``<stem>.png``, and its summary on the terminal."""
    write_result(result, stem.with_suffix(".json"))
    write_picture(result, stem.with_suffix(".png"))
    print(summarise(result))
    print(f"wrote {stem.with_suffix('.json')} and {stem.with_suffix('.png')}")


def cli(argv: list[str] | None = None) -> int:
    """Parse the options, run, write the files, print the summary."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, help="replay this corpus.json instead of playing")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (out/bench)")
    parser.add_argument(
        "--only", choices=["speech", "events", "cold", "artifacts"], help="run one part"
    )
    options = parser.parse_args(argv)
    if options.only in (None, "speech"):
        saved = None
        if options.corpus is not None:
            saved = Corpus.model_validate_json(options.corpus.read_text(encoding="utf-8"))
        bench = asyncio.run(main(saved, options.out))
        _report(options.out / "speech", bench, write_json, write_chart, summary)
    if options.only in (None, "events"):
        events = asyncio.run(events_main())
        _report(options.out / "events", events, write_event_json, write_event_chart, event_summary)
    if options.only in (None, "cold"):
        print("cold starts of the functions and of a naive FastAPI app…", flush=True)
        cold = run_cold_starts()
        _report(
            options.out / "cold_start",
            cold,
            write_cold_start_json,
            write_cold_start_chart,
            cold_start_summary,
        )
    if options.only in (None, "artifacts"):
        print("installing each Lambda artifact for the template's runtime…", flush=True)
        sizes = run_artifact_sizes()
        _report(
            options.out / "artifacts",
            sizes,
            write_artifact_json,
            write_artifact_chart,
            artifact_summary,
        )
    return 0


if __name__ == "__main__":
    sys.exit(cli())
