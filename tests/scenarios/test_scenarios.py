"""The caller scenarios (``<language>.yaml``) on the fallback policy, offline.

Every scenario is a whole call through the production receptionist: real PMS API (local
control plane), real line tools with the real ``livekit-api`` client against the local
LiveKit server peer. Checks are deterministic: tool calls and arguments, facts in replies,
final state. The last test holds the suite to its bar: ≥ 95 % per language, every guard rail.
"""

from __future__ import annotations

import pytest
from scenario import (
    LANGUAGES,
    MAX_REPLY_WORDS,
    Scenario,
    load_scenarios,
    longest_reply,
    play,
)
from scenario_report import RESULTS, pass_rates

SCENARIOS = [s for language in LANGUAGES for s in load_scenarios(language)]
MIN_SCENARIOS = 100
MIN_RATE = 0.95


def _param(scenario: Scenario):
    marks = [pytest.mark.xfail(strict=True, reason=scenario.xfail)] if scenario.xfail else []
    return pytest.param(scenario, id=f"{scenario.language}/{scenario.id}", marks=marks)


@pytest.mark.parametrize("scenario", [_param(s) for s in SCENARIOS])
async def test_scenario(plane, api_url, livekit_peer, scenario: Scenario) -> None:
    problems: list[str] = ["crashed"]
    longest = None
    try:
        problems, transcript = await play(scenario, plane, livekit_peer)
        longest = longest_reply(transcript)
    finally:
        RESULTS[scenario.language].append(
            {
                "id": scenario.id,
                "passed": not problems,
                "guard_rail": scenario.guard_rail,
                "problems": problems[:-1] if len(problems) > 1 else problems,
                "longest_reply_words": longest,
            }
        )
    assert not problems, "\n".join(problems)


def test_the_suite_meets_its_bar() -> None:
    """Runs after the scenarios (file order): per-language rate, guard rails, coverage."""
    if len(RESULTS) < len(LANGUAGES):
        pytest.skip("not all scenarios ran in this session (a -k selection)")
    rates = pass_rates()
    assert sum(r["scenarios"] for r in rates.values()) >= MIN_SCENARIOS
    for language, rate in rates.items():
        assert rate["rate"] >= MIN_RATE, (language, rate)
        assert rate["guard_rails"] > 0, f"{language} has no guard-rail scenarios"
        assert rate["guard_rails_passed"] == rate["guard_rails"], (language, rate)
    # The reply bound holds over the whole suite, failed and expected-to-fail calls included.
    too_long = {
        f"{language}/{run['id']}": run["longest_reply_words"]
        for language, runs in RESULTS.items()
        for run in runs
        if (run["longest_reply_words"] or 0) > MAX_REPLY_WORDS
    }
    assert not too_long, f"replies over {MAX_REPLY_WORDS} words: {too_long}"
