"""Percentiles and the machine description every benchmark result carries.

Latency targets are p50/p95/p99 of many samples; the machine is shared and noisy, so a
result is only read against another result measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel


class Percentiles(BaseModel):
    """Milliseconds at the usual percentiles of one set of samples."""

    n: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def percentiles(samples_s: list[float]) -> Percentiles:
    """Summarise latencies given in seconds (an empty list gives zeros with ``n = 0``).

    Args:
        samples_s: One latency per event, in seconds.

    Returns:
        p50, p95, p99 and max in milliseconds, rounded to microseconds.
    """
    if not samples_s:
        return Percentiles(n=0, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0, max_ms=0.0)
    ms = np.asarray(samples_s) * 1000.0
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return Percentiles(
        n=len(samples_s),
        p50_ms=round(float(p50), 3),
        p95_ms=round(float(p95), 3),
        p99_ms=round(float(p99), 3),
        max_ms=round(float(ms.max()), 3),
    )


class Machine(BaseModel):
    """Where the numbers were taken: they mean little on another machine."""

    cpu_count: int
    cpus_usable: int
    python: str
    platform: str
    load_average: tuple[float, float, float]
    """1, 5 and 15 minute load when the run started: other work on a shared machine."""


def machine() -> Machine:
    """This machine."""
    return Machine(
        cpu_count=os.cpu_count() or 0,
        cpus_usable=len(os.sched_getaffinity(0)),
        python=sys.version.split()[0],
        platform=platform.platform(),
        load_average=tuple(round(x, 2) for x in os.getloadavg()),
    )


class LoopLateness:
    """How late the running event loop wakes a ``tick_s`` timer, sampled until stopped.

    A loop busy with other work wakes its timers late; whatever that loop timestamps is late
    by as much.
    """

    def __init__(self, tick_s: float) -> None:
        self.tick_s = tick_s
        self.samples: list[float] = []
        self._stop = asyncio.Event()
        self._task: asyncio.Future[None] | None = None

    def start(self) -> LoopLateness:
        """Begin sampling on the running loop."""
        self._task = asyncio.ensure_future(self._watch())
        return self

    async def stop(self) -> list[float]:
        """Stop sampling; the lateness of each tick, in seconds."""
        self._stop.set()
        if self._task is not None:
            await self._task
        return self.samples

    async def _watch(self) -> None:
        while not self._stop.is_set():
            due = time.monotonic() + self.tick_s
            await asyncio.sleep(self.tick_s)
            self.samples.append(max(0.0, time.monotonic() - due))


def save_figure(fig: Any, path: Path) -> None:
    """A matplotlib figure as a PNG a person can read, then closed (charts pile up otherwise)."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_model_json(result: BaseModel, path: Path) -> None:
    """A result model as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
