"""The ``make load`` result as a chart a person reads at a glance, and as a text summary."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from bench.stats import save_figure
from bench.worker_load import LoadResult

OVERHEAD_TARGET_MS = 300
MEMORY_TARGET_MIB = 60


def write_chart(result: LoadResult, path: Path) -> Path:
    """Four panels against concurrent calls: turn overhead, memory, CPU, setup failures."""
    calls = [level.calls for level in result.levels]
    fig, ((delay, memory), (cpu, failures)) = plt.subplots(2, 2, figsize=(13, 9))
    fig.suptitle(
        f"One worker ({result.executor} executor) on {result.machine.cpus_usable} cores: "
        "concurrent calls, components answering instantly"
    )

    delay.plot(calls, [lv.overhead.p50_ms for lv in result.levels], "o-", label="p50")
    delay.plot(calls, [lv.overhead.p95_ms for lv in result.levels], "s-", label="p95")
    delay.axhline(OVERHEAD_TARGET_MS, color="tab:red", ls="--", label="target p95")
    delay.set_title(
        f"End of speech → first audio, minus the {result.turn_wait_s * 1000:.0f} ms "
        "turn-taking wait"
    )
    delay.set_ylabel("overhead (ms)")

    memory.plot(calls, [lv.mib_per_call for lv in result.levels], "o-", color="tab:purple")
    memory.axhline(MEMORY_TARGET_MIB, color="tab:red", ls="--", label="target")
    memory.set_title("Memory per additional call (PSS of all worker processes)")
    memory.set_ylabel("MiB per call")

    cpu.plot(calls, [lv.cpu_per_call_pct for lv in result.levels], "o-", label="per call (worker)")
    cpu.set_ylabel("% of one core per call")
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
