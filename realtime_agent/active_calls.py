"""The worker's load for LiveKit, and its active calls in the log once a minute.

LiveKit asks the worker for its load every few seconds (``load_fnc``): the calls it carries
over the calls it may take. The same count, logged once a minute as ``active calls`` with
``active_calls``, is what the speech plane's metric filter turns into ``ActiveCalls``
(``iac/speech-plane.yaml``): per worker on the dashboard, averaged and at its busiest. Every
call runs in its own job process; only the worker's main process sees them all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("hotelvoice.agent.load")
REPORT_EVERY_S = 60.0


class ActiveCallsLoad:
    """``load_fnc`` for LiveKit's ``AgentServer``, reporting the count as it goes."""

    def __init__(
        self,
        max_calls: int,
        *,
        every_s: float = REPORT_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_calls = max_calls
        self.every_s = every_s
        self._clock = clock
        self._reported_at: float | None = None

    def __call__(self, worker: Any) -> float:
        """The share of ``max_calls`` in use; the count is logged once per ``every_s``."""
        active = len(worker.active_jobs)
        now = self._clock()
        if self._reported_at is None or now - self._reported_at >= self.every_s:
            self._reported_at = now
            log.info("active calls", extra={"active_calls": active, "max_calls": self.max_calls})
        return active / self.max_calls
