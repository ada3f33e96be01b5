"""CPU and memory of the worker's process tree, and its CPU by kind of thread.

A call process is Python (its event loop on the main thread, the VAD and the SDK's callbacks
on other threads) plus libwebrtc's and LiveKit's native threads, which name themselves
(``AudioEncoderQue``, ``SyntheticAudioD``, ``tokio-rt-worker``, ``network_thread``…). Read
from ``/proc/<pid>/task/<tid>/`` (Linux), so it needs no profiler and costs nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PYTHON_MAIN = "python: event loop (main thread)"
PYTHON_OTHER = "python: other threads"
_TICKS_S = 100.0
"""``/proc``'s clock ticks per second (``SC_CLK_TCK``, 100 on Linux)."""


def thread_seconds(processes: list[psutil.Process]) -> dict[tuple[int, int], tuple[str, float]]:
    """(pid, tid) → (kind, CPU seconds so far) for every thread of ``processes``."""
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for process in processes:
        tasks = Path(f"/proc/{process.pid}/task")
        try:
            tids = [int(t.name) for t in tasks.iterdir()]
        except OSError:
            continue  # gone since it was listed
        for tid in tids:
            try:
                stat = (tasks / str(tid) / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            seconds = (int(fields[11]) + int(fields[12])) / _TICKS_S
            found[(process.pid, tid)] = (_kind(name, process.pid, tid), seconds)
    return found


def _kind(name: str, pid: int, tid: int) -> str:
    if name.startswith("python"):
        return PYTHON_MAIN if tid == pid else PYTHON_OTHER
    return name.strip()


def cores_by_kind(
    before: dict[tuple[int, int], tuple[str, float]],
    after: dict[tuple[int, int], tuple[str, float]],
    seconds: float,
) -> dict[str, float]:
    """Cores each kind of thread used between two readings, busiest first."""
    used: Counter[str] = Counter()
    for key, (kind, total) in after.items():
        if key in before:
            used[kind] += (total - before[key][1]) / seconds
    return {kind: round(cores, 4) for kind, cores in used.most_common() if cores > 0}


@dataclass
class ProcessMeter:
    """CPU and PSS of a process tree, sampled: call processes come and go between samples."""

    root: psutil.Process
    cpu_by_pid: dict[int, float] = field(default_factory=dict)
    leave_out: ProcessMeter | None = None
    """A subtree metered on its own: the load generator's tree holds the worker's."""

    def processes(self) -> list[psutil.Process]:
        """The root and every descendant alive now (less :attr:`leave_out`'s)."""
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        if self.leave_out is None:
            return tree
        others = {p.pid for p in self.leave_out.processes()}
        return [p for p in tree if p.pid not in others]

    def sample_cpu(self) -> float:
        """Seconds of CPU the tree has used, counting processes that have since exited."""
        for process in self.processes():
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            self.cpu_by_pid[process.pid] = times.user + times.system
        return sum(self.cpu_by_pid.values())

    def pss_mib(self) -> tuple[float, int]:
        """Proportional set size of the tree (shared pages divided among sharers), processes."""
        total = 0
        count = 0
        for process in self.processes():
            try:
                total += process.memory_full_info().pss
                count += 1
            except psutil.NoSuchProcess:
                continue
        return total / 2**20, count
