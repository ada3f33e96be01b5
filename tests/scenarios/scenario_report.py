"""Scenario results of this test session, and the pass rate per language."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

REPORT_PATH = Path("out/scenarios/report.json")
RESULTS: dict[str, list[dict[str, Any]]] = defaultdict(list)
"""language → one entry per scenario run: id, passed, guard rail, problems."""

LIVEKIT_KEY = "APIscenarios"
LIVEKIT_SECRET = "scenario-suite-secret-of-32-bytes-or-more"


def pass_rates() -> dict[str, dict[str, Any]]:
    """Per language: scenarios run, passed, rate, the guard-rail subset, the longest reply."""
    rates = {}
    for language, runs in sorted(RESULTS.items()):
        guard = [r for r in runs if r["guard_rail"]]
        rates[language] = {
            "scenarios": len(runs),
            "passed": sum(r["passed"] for r in runs),
            "rate": round(sum(r["passed"] for r in runs) / len(runs), 4),
            "guard_rails": len(guard),
            "guard_rails_passed": sum(r["passed"] for r in guard),
            "failed": [r["id"] for r in runs if not r["passed"]],
            "longest_reply_words": max(
                (r.get("longest_reply_words") or 0 for r in runs), default=0
            ),
        }
    return rates
