"""A circuit breaker: stop asking a dependency that keeps failing, then try it again later.

A vendor that is down costs every utterance its full timeout before the fallback speaks; on a
phone line that is dead air. After ``failures`` consecutive failures the breaker opens and
callers skip the dependency at once; after ``cooldown_s`` one trial request goes through
(half-open): success closes the breaker, failure opens it for another cooldown. A trial that
never reports back (the caller hung up mid-utterance) does not wedge the breaker: after
another cooldown a new trial is let through.

Not thread-safe by design: one breaker per dependency per event loop, where state changes
between awaits are atomic.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger("hotelvoice.breaker")


class BreakerState(StrEnum):
    """Where the breaker stands; ``half_open`` means the next request is a trial."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerSnapshot:
    """What metrics and logs show about one breaker."""

    name: str
    state: BreakerState
    consecutive_failures: int
    opened_count: int


class CircuitBreaker:
    """Closed → open after N consecutive failures → half-open after a cooldown."""

    def __init__(
        self,
        name: str,
        *,
        failures: int = 3,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start closed.

        Args:
            name: The dependency, for logs and metrics (``elevenlabs``).
            failures: Consecutive failures that open the breaker (at least 1).
            cooldown_s: How long an open breaker refuses before one trial.
            clock: Monotonic seconds; tests pass a fake to skip the cooldown.
        """
        if failures < 1:
            raise ValueError("failures must be at least 1")
        self.name = name
        self._threshold = failures
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_count = 0
        self._since = 0.0
        """When the breaker opened, or when the current trial started (half-open)."""

    @property
    def state(self) -> BreakerState:
        """The state as a caller would find it now.

        An open breaker past its cooldown (or a half-open one whose trial went silent)
        reports ``half_open``: the next request would be let through.
        """
        if self._state is not BreakerState.CLOSED and self._cooled_down():
            return BreakerState.HALF_OPEN
        return self._state

    def allow(self) -> bool:
        """May a request go to the dependency now? In half-open, True once per cooldown.

        Call it right before the request: a True in half-open is the one trial, and the
        outcome must be reported with :meth:`record_success` or :meth:`record_failure`.
        """
        if self._state is BreakerState.CLOSED:
            return True
        if not self._cooled_down():
            return False
        self._change(BreakerState.HALF_OPEN)
        self._since = self._clock()
        return True

    def record_success(self) -> None:
        """The dependency answered: close, and forget earlier failures."""
        self._failures = 0
        if self._state is not BreakerState.CLOSED:
            self._change(BreakerState.CLOSED)

    def record_failure(self) -> None:
        """The dependency failed: count it, and open at the threshold or after a trial."""
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or (
            self._state is BreakerState.CLOSED and self._failures >= self._threshold
        ):
            self._since = self._clock()
            self._opened_count += 1
            self._change(BreakerState.OPEN)

    def snapshot(self) -> BreakerSnapshot:
        """The state for a metrics gauge or a log line."""
        return BreakerSnapshot(self.name, self.state, self._failures, self._opened_count)

    def _cooled_down(self) -> bool:
        return self._clock() - self._since >= self._cooldown_s

    def _change(self, state: BreakerState) -> None:
        if state is not self._state:
            level = logging.WARNING if state is BreakerState.OPEN else logging.INFO
            log.log(level, "breaker %s: %s -> %s", self.name, self._state.value, state.value)
            self._state = state
