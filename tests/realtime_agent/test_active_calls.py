"""The worker's load for LiveKit, and the active-calls line the speech plane counts."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from types import SimpleNamespace

import yaml

from realtime_agent.active_calls import ActiveCallsLoad

REPO = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_load_is_the_share_of_calls_and_the_count_is_logged_once_a_minute(caplog):
    clock = Clock()
    load = ActiveCallsLoad(4, clock=clock)
    worker = SimpleNamespace(active_jobs=["a", "b", "c"])
    caplog.set_level(logging.INFO, logger="hotelvoice.agent.load")
    assert load(worker) == 0.75
    clock.now += 2.5  # LiveKit asks every few seconds
    worker.active_jobs.append("d")
    assert load(worker) == 1.0
    clock.now += 60
    worker.active_jobs.clear()
    assert load(worker) == 0.0
    lines = [r for r in caplog.records if r.getMessage() == "active calls"]
    assert [r.active_calls for r in lines] == [3, 0]  # once a minute, the count of that moment


def test_the_speech_plane_turns_that_line_into_its_active_calls_metric():
    text = (REPO / "iac" / "speech-plane.yaml").read_text()
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda ld, suffix, node: None)
    body = yaml.load(text, Loader=loader)
    metric = body["Resources"]["AgentActiveCallsMetric"]["Properties"]
    assert metric["FilterPattern"] == '{ $.message = "active calls" }'
    (transformation,) = metric["MetricTransformations"]
    assert transformation["MetricName"] == "ActiveCalls"
    assert transformation["MetricValue"] == "$.active_calls"
    source = (REPO / "realtime_agent" / "active_calls.py").read_text()
    assert re.search(r'log\.info\("active calls", extra=\{"active_calls"', source)
