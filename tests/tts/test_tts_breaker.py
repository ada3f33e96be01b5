"""CircuitBreaker: closed -> open -> half-open -> closed or open again."""

from __future__ import annotations

import pytest

from hotelvoice.breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker("vendor", failures=3, cooldown_s=30.0, clock=clock)


def test_opens_after_consecutive_failures_only(breaker: CircuitBreaker) -> None:
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    assert breaker.snapshot().opened_count == 1


def _open(breaker: CircuitBreaker) -> None:
    for _ in range(3):
        breaker.record_failure()


def test_half_open_lets_one_trial_through_and_success_closes(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    _open(breaker)
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()  # the trial
    assert not breaker.allow()  # only one
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()
    assert breaker.snapshot().consecutive_failures == 0


def test_failed_trial_opens_for_another_cooldown(breaker: CircuitBreaker, clock: FakeClock) -> None:
    _open(breaker)
    clock.now += 30
    assert breaker.allow()
    breaker.record_failure()  # one failure is enough in half-open
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    clock.now += 30
    assert breaker.allow()
    assert breaker.snapshot().opened_count == 2


def test_a_trial_that_never_reports_does_not_wedge_it(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    _open(breaker)
    clock.now += 30
    assert breaker.allow()  # the trial's caller hung up: no outcome recorded
    assert not breaker.allow()
    clock.now += 30
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CircuitBreaker("vendor", failures=0)
