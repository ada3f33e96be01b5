"""The ``make load`` result as a chart a person reads at a glance, and as a text summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from bench.stats import save_figure
from bench.worker_load import LevelResult, LoadResult

OVERHEAD_TARGET_MS = 300
MEMORY_TARGET_MIB = 60


def write_chart(result: LoadResult, path: Path) -> Path:
    """Four panels against concurrent calls: turn overhead, memory, CPU, setup failures."""
    calls = [level.calls for level in result.levels]
    # Per-call figures of a level where most calls never got set up describe the few that
    # did: drawn apart (as crosses), not joined to the line of the levels that carried their calls.
    carried = [lv for lv in result.levels if lv.setup_failures <= lv.calls / 2]
    overloaded = [lv for lv in result.levels if lv.setup_failures > lv.calls / 2]
    fig, ((delay, memory), (cpu, failures)) = plt.subplots(2, 2, figsize=(13, 9))
    fig.suptitle(
        f"One worker ({result.executor} executor) on {result.machine.cpus_usable} cores: "
        "concurrent calls, components answering instantly\n"
        "× a level where most calls never got set up: its per-call figures are the few that did"
    )

    def per_call(axis: plt.Axes, value: Callable[[LevelResult], float], **style: Any) -> None:
        axis.plot([lv.calls for lv in carried], [value(lv) for lv in carried], **style)
        if overloaded:
            axis.plot(
                [lv.calls for lv in overloaded],
                [value(lv) for lv in overloaded],
                "x",
                color=style.get("color", "tab:gray"),
                markersize=9,
            )

    per_call(delay, lambda lv: lv.overhead.p50_ms, marker="o", color="tab:blue", label="p50")
    per_call(delay, lambda lv: lv.overhead.p95_ms, marker="s", color="tab:orange", label="p95")
    delay.axhline(OVERHEAD_TARGET_MS, color="tab:red", ls="--", label="target p95")
    delay.set_title(
        f"End of speech → first audio, minus the {result.turn_wait_s * 1000:.0f} ms "
        "turn-taking wait"
    )
    delay.set_ylabel("overhead (ms)")

    per_call(memory, lambda lv: lv.mib_per_call, marker="o", color="tab:purple", label="PSS")
    memory.axhline(MEMORY_TARGET_MIB, color="tab:red", ls="--", label="target")
    memory.set_title("Memory per additional call (PSS of all worker processes)")
    memory.set_ylabel("MiB per call")

    per_call(cpu, lambda lv: lv.cpu_per_call_pct, marker="o", color="tab:blue", label="per call")
    cpu.set_ylabel("% of one core per call, listening (worker)")
    twin = cpu.twinx()
    twin.plot(
        calls,
        [lv.worker_cpu_cores for lv in result.levels],
        "s--",
        color="tab:green",
        label="worker, cores",
    )
    twin.plot(
        calls,
        [lv.generator_cpu_cores for lv in result.levels],
        "^--",
        color="tab:gray",
        label="load generator, cores",
    )
    twin.set_ylabel("cores")
    twin.legend(loc="upper right", fontsize=8)
    cpu.set_title("CPU")

    failures.bar(
        [str(c) for c in calls],
        [lv.setup_failures for lv in result.levels],
        color="tab:red",
        label="setup failures",
    )
    failures.bar(
        [str(c) for c in calls],
        [lv.unanswered for lv in result.levels],
        bottom=[lv.setup_failures for lv in result.levels],
        color="tab:orange",
        label="no answer",
    )
    failures.set_title("Calls that failed")
    failures.set_ylabel("calls")

    for axis in (delay, memory, cpu):
        axis.set_xlabel("concurrent calls")
        axis.legend(loc="upper left", fontsize=8)
        axis.grid(alpha=0.3)
    failures.set_xlabel("concurrent calls")
    failures.legend(fontsize=8)
    save_figure(fig, path)
    return path


def summary(result: LoadResult) -> str:
    """One line per level."""
    lines = [f"executor={result.executor} turn wait {result.turn_wait_s:.2f} s"]
    for lv in result.levels:
        lines.append(
            f"{lv.calls:>4} calls: failures {lv.setup_failures} no-answer {lv.unanswered} | "
            f"overhead p50 {lv.overhead.p50_ms:.0f} ms p95 {lv.overhead.p95_ms:.0f} ms | "
            f"{lv.mib_per_call:.1f} MiB/call | {lv.cpu_per_call_pct:.1f} %core/call listening, "
            f"{lv.cpu_s_per_call:.2f} CPU-s/call "
            f"(worker {lv.worker_cpu_cores:.2f}, generator {lv.generator_cpu_cores:.2f} cores, "
            f"its loop late p95 {lv.generator_lag.p95_ms:.0f} ms)"
        )
        busiest = list(lv.listening_pct_by_thread.items())[:6]
        if busiest:
            lines.append(
                "        listening by thread: "
                + ", ".join(f"{kind} {pct:.1f}%" for kind, pct in busiest)
            )
    return "\n".join(lines)
