"""``python -m realtime_agent``: LiveKit's CLI answers ``--help`` wherever no secret exists.

The CLI needs the server object before it parses its arguments, so the LiveKit secret must
only be read when a mode that connects runs; a missing secret still stops that start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from livekit.agents import AgentServer

from hotelvoice.settings import get_settings
from realtime_agent.worker import build_server

REPO = Path(__file__).resolve().parents[2]
CLI_TIMEOUT_S = 120


def without_secrets() -> dict[str, str]:
    """This environment less everything that could name a LiveKit secret or our settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LIVEKIT_", "HOTELVOICE_", "AWS_"))
    }
    # One line per option, whatever the terminal: the assertions read the help text.
    env.update(COLUMNS="200", TERM="dumb", NO_COLOR="1")
    return env


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "realtime_agent", *args],
        cwd=REPO,
        env=without_secrets(),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


def test_help_lists_the_modes_without_secrets() -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m realtime_agent" in result.stdout
    for mode in ("start", "dev", "console", "connect"):
        assert mode in result.stdout


def test_start_help_shows_its_options_without_secrets() -> None:
    result = run_cli("start", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m realtime_agent start" in result.stdout
    assert "--api-secret" in result.stdout


def test_start_without_a_secret_stops_with_the_reason() -> None:
    result = run_cli("start")
    assert result.returncode == 1
    assert "no secret configured for the LiveKit API secret" in result.stderr


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The credentials the server holds when LiveKit's ``AgentServer.run`` begins."""
    seen: list[tuple[str, str]] = []

    async def record(
        self: AgentServer, *, devmode: bool = False, unregistered: bool = False
    ) -> None:
        seen.append((self._api_key, self._api_secret))

    monkeypatch.setattr(AgentServer, "run", record)
    for name in ("LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "HOTELVOICE_LIVEKIT_SECRET_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOTELVOICE_LOCAL_MODE", "true")
    get_settings.cache_clear()
    yield seen
    get_settings.cache_clear()


async def test_the_secret_store_fills_what_the_cli_left_empty(
    started: list[tuple[str, str]],
) -> None:
    from hotelvoice.secrets import LOCAL_LIVEKIT_API_KEY, LOCAL_LIVEKIT_API_SECRET

    server = build_server()
    await server.run()
    assert started == [(LOCAL_LIVEKIT_API_KEY, LOCAL_LIVEKIT_API_SECRET)]


async def test_credentials_given_to_the_cli_win(started: list[tuple[str, str]]) -> None:
    server = build_server()
    server.update_options(api_key="cli-key", api_secret="cli-secret")  # as ``start`` does
    await server.run()
    assert started == [("cli-key", "cli-secret")]


@pytest.mark.parametrize(
    ("setting", "operator", "warn_s"),
    [
        (None, None, 0.25),  # our default: a tick every 50 ms, not LiveKit's 20
        ("0", None, None),  # off
        ("400", "100", 0.1),  # an operator's LiveKit variable wins
    ],
)
def test_the_loop_monitor_runs_at_our_threshold(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, operator: str | None, warn_s: float | None
) -> None:
    from livekit.agents.telemetry.loop_monitor import LoopMonitorThresholds

    from realtime_agent.worker import LOOP_MONITOR_ENV

    monkeypatch.setenv("HOTELVOICE_LOCAL_MODE", "true")
    monkeypatch.delenv(LOOP_MONITOR_ENV, raising=False)
    if setting is not None:
        monkeypatch.setenv("HOTELVOICE_AGENT_LOOP_BLOCK_WARN_MS", setting)
    if operator is not None:
        monkeypatch.setenv(LOOP_MONITOR_ENV, operator)
    get_settings.cache_clear()
    try:
        build_server()
    finally:
        get_settings.cache_clear()
    thresholds = LoopMonitorThresholds.from_env()  # what each job's monitor starts with
    assert (thresholds.warn if thresholds else None) == warn_s
