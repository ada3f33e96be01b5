"""The scenario suite's shared pieces: a LiveKit server peer for the line, and the report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from peers.livekit_server_peer import LiveKitServerPeer
from scenario_report import LIVEKIT_KEY, LIVEKIT_SECRET, REPORT_PATH, RESULTS, pass_rates


@pytest.fixture(scope="session")
def livekit_peer():
    with LiveKitServerPeer(api_key=LIVEKIT_KEY, api_secret=LIVEKIT_SECRET) as peer:
        yield peer


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the pass rate per language and keep it as JSON next to the other outputs."""
    if not RESULTS:
        return
    rates = pass_rates()
    terminalreporter.section("scenario pass rates")
    for language, rate in rates.items():
        terminalreporter.write_line(
            f"{language}: {rate['passed']}/{rate['scenarios']} ({rate['rate']:.1%}), guard rails "
            f"{rate['guard_rails_passed']}/{rate['guard_rails']}"
            + (f", failed: {', '.join(rate['failed'])}" if rate["failed"] else "")
        )
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps({"languages": rates, "runs": RESULTS}, indent=2))
