"""The agent fleet's rate budget grows with the fleet (issue 10, point 4).

In AWS every realtime-agent worker is the same OAuth client, so one per-principal budget
covers the whole fleet. ``template.yaml`` scales it with ``AgentFleetMaxWorkers``, whose
default is the speech plane's most agent tasks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hotelvoice.settings import Settings
from local_mode.resources import LocalResources
from local_mode.template import load_template

REPO = Path(__file__).resolve().parents[2]
CONTROL = load_template().body
SPEECH = load_template(REPO / "iac" / "speech-plane.yaml").body
PER_WORKER = 1000


def rate_limits(workers: str) -> dict[str, int]:
    """``HOTELVOICE_RATE_LIMITS`` as CloudFormation renders it for ``workers``, parsed."""
    value = CONTROL["Globals"]["Function"]["Environment"]["Variables"]["HOTELVOICE_RATE_LIMITS"]
    rendered = LocalResources(
        region="eu-central-1", stack_name="s", parameters={"AgentFleetMaxWorkers": workers}
    ).resolve(value)
    return Settings(rate_limits=json.loads(rendered)).rate_limits


@pytest.mark.parametrize("workers", ["1", "10", "50", "99"])
def test_the_service_budget_is_a_thousand_a_minute_per_worker(workers):
    assert rate_limits(workers) == {
        "service": PER_WORKER * int(workers),
        "staff": 120,
        "admin": 120,
    }


def test_staff_and_admin_keep_the_default_budgets():
    defaults = Settings().rate_limits
    limits = rate_limits("10")
    assert {k: limits[k] for k in ("staff", "admin")} == {
        k: defaults[k] for k in ("staff", "admin")
    }
    assert set(limits) == set(defaults)


def test_the_default_fleet_is_the_speech_planes_largest():
    fleet = CONTROL["Parameters"]["AgentFleetMaxWorkers"]
    agents = SPEECH["Parameters"]["AgentMaxCount"]
    assert int(fleet["Default"]) == int(agents["Default"])
    pattern = re.compile(fleet["AllowedPattern"])
    # Every fleet size the speech plane admits can be given, and only digit strings that
    # keep the rendered JSON valid (no sign, no leading zero, no blank).
    assert all(pattern.fullmatch(str(n)) for n in range(1, int(agents["MaxValue"]) + 1))
    assert not any(pattern.fullmatch(bad) for bad in ("0", "05", "-1", "1e3", "", " 5"))
