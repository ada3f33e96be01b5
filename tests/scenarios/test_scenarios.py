"""The caller scenarios (``<language>.yaml``) on the fallback policy, offline.

Every scenario is a whole call through the production receptionist: real PMS API (local
control plane), real line tools with the real ``livekit-api`` client against the local
LiveKit server peer. Checks are deterministic: tool calls and arguments, facts in replies,
final state. The last test holds the suite to its bar: ≥ 95 % per language, every guard rail.
"""

from __future__ import annotations

import uuid

import pytest
from peers.livekit_server_peer import BUSY_HERE
from scenario import LANGUAGES, Facts, Scenario, check, load_scenarios, steps_of
from scenario_report import LIVEKIT_KEY, LIVEKIT_SECRET, RESULTS, pass_rates

from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.settings import get_settings
from realtime_agent.room_actions import RoomActions
from realtime_agent.scripted_call import CALLER_IDENTITY, run_scripted_call
from realtime_agent.service_auth import LocalServiceToken

SCENARIOS = [s for language in LANGUAGES for s in load_scenarios(language)]
MIN_SCENARIOS = 100
MIN_RATE = 0.95


def _param(scenario: Scenario):
    marks = [pytest.mark.xfail(strict=True, reason=scenario.xfail)] if scenario.xfail else []
    return pytest.param(scenario, id=f"{scenario.language}/{scenario.id}", marks=marks)


@pytest.mark.parametrize("scenario", [_param(s) for s in SCENARIOS])
async def test_scenario(plane, api_url, livekit_peer, scenario: Scenario) -> None:
    facts = Facts(plane.today, scenario.language)
    call_id = f"scn-{uuid.uuid4().hex[:12]}"
    livekit_peer.add_sip_caller(call_id, CALLER_IDENTITY)
    if scenario.line.get("transfer") == "busy":
        livekit_peer.fail_next_transfer(BUSY_HERE)
    problems: list[str] = []
    try:
        async with RoomActions(livekit_peer.url, LIVEKIT_KEY, LIVEKIT_SECRET) as line:
            transcript = await run_scripted_call(
                steps_of(scenario, facts),
                settings=get_settings(),
                credentials=LocalServiceToken(),
                today=plane.today,
                dialled_number=DEMO_DIALLED_NUMBER,
                call_id=call_id,
                caller_number=facts.render(scenario.caller) if scenario.caller else None,
                language=scenario.start_language,
                report_events=False,
                telephony=line,
            )
        problems = check(scenario, facts, transcript)
        if problems:
            problems.append("transcript:\n" + transcript.render())
    except Exception as exc:  # a crash is a failed scenario with its reason
        problems = [f"{type(exc).__name__}: {exc}"]
        raise
    finally:
        RESULTS[scenario.language].append(
            {
                "id": scenario.id,
                "passed": not problems,
                "guard_rail": scenario.guard_rail,
                "problems": problems[:-1] if len(problems) > 1 else problems,
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
