"""Shared fixtures: one local control plane (moto server + template resources) per session.

Starting moto, creating the template's resources and seeding the demo hotel takes a few
seconds, so tests share one plane and keep apart by using their own call ids.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from local_mode.control_plane import LocalControlPlane


@pytest.fixture(scope="session")
def plane() -> Iterator[LocalControlPlane]:
    saved = dict(os.environ)
    control_plane = LocalControlPlane(quiet=False).start()
    url = control_plane.serve()
    os.environ["HOTELVOICE_API_URL"] = url
    get_settings.cache_clear()
    yield control_plane
    control_plane.stop()
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def settings_read_afresh() -> Iterator[None]:
    """No test hands the next one settings cached from its own environment.

    Autouse, so set up before and torn down after the test's ``monkeypatch``: the cache is
    emptied once the environment is back as it was.
    """
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def api_url(plane: LocalControlPlane) -> str:
    return os.environ["HOTELVOICE_API_URL"]


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def service_headers(plane: LocalControlPlane) -> dict[str, str]:
    return bearer(plane.token(Role.SERVICE, subject="realtime-agent"))


@pytest.fixture(scope="session")
def staff_headers(plane: LocalControlPlane) -> dict[str, str]:
    return bearer(plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="front-desk"))


# -- The scenario suite's report --------------------------------------------------------
# Here, not in tests/scenarios/conftest.py: under ``pytest -n`` the controller collects no
# tests, so only this conftest's hooks run where the workers' results come together.


def _scenario_report() -> ModuleType:
    """The module the scenario tests record into (loaded by path on an xdist controller)."""
    if (module := sys.modules.get("scenario_report")) is None:
        path = Path(__file__).parent / "scenarios" / "scenario_report.py"
        spec = importlib.util.spec_from_file_location("scenario_report", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["scenario_report"] = module
        spec.loader.exec_module(module)
    return module


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its scenario results to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    report = sys.modules.get("scenario_report")
    if workeroutput is not None and report is not None and report.RESULTS:
        workeroutput["scenario_results"] = json.dumps(report.RESULTS)


def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller's side of the hand-over: merge each worker's results."""
    del error
    results = json.loads(node.workeroutput.get("scenario_results", "{}"))
    for language, runs in results.items():
        _scenario_report().RESULTS[language].extend(runs)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the pass rate per language and keep it as JSON next to the other outputs."""
    if "scenario_report" not in sys.modules or getattr(
        terminalreporter.config, "workerinput", None
    ):
        return
    report = _scenario_report()
    if not report.RESULTS:
        return
    rates = report.pass_rates()
    terminalreporter.section("scenario pass rates")
    for language, rate in rates.items():
        terminalreporter.write_line(
            f"{language}: {rate['passed']}/{rate['scenarios']} ({rate['rate']:.1%}), guard rails "
            f"{rate['guard_rails_passed']}/{rate['guard_rails']}, "
            f"longest reply {rate['longest_reply_words']} words"
            + (f", failed: {', '.join(rate['failed'])}" if rate["failed"] else "")
        )
    report.REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    report.REPORT_PATH.write_text(
        json.dumps({"languages": rates, "runs": report.RESULTS}, indent=2)
    )
