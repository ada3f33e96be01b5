"""One process, one environment: cold starts, server threads and settings share it.

Lambda functions, the agent and the tests share one process here, so a cold start in a
server thread must leave every variable it did not set alone, for every other thread, and
settings read while the environment changes must not outlive the change.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

import hotelvoice.settings
from hotelvoice.settings import Settings, get_settings
from local_mode.lambda_runtime import function_environment


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names this module sets, removed again whatever a test leaves behind."""
    for name in ("HV_TEST_FUNCTION_ONLY", "HV_TEST_SHARED", "HV_TEST_SET_MEANWHILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HV_TEST_SHARED", "process")
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("scratch")
def test_the_functions_variables_are_there_during_the_import_and_gone_after() -> None:
    with function_environment({"HV_TEST_FUNCTION_ONLY": "1", "HV_TEST_SHARED": "function"}):
        assert os.environ["HV_TEST_FUNCTION_ONLY"] == "1"
        assert os.environ["HV_TEST_SHARED"] == "function"

    assert "HV_TEST_FUNCTION_ONLY" not in os.environ
    assert os.environ["HV_TEST_SHARED"] == "process"


@pytest.mark.usefixtures("scratch")
def test_what_another_thread_sets_during_a_cold_start_survives_it() -> None:
    with function_environment({"HV_TEST_FUNCTION_ONLY": "1"}):
        setter = threading.Thread(
            target=os.environ.__setitem__, args=("HV_TEST_SET_MEANWHILE", "x")
        )
        setter.start()
        setter.join()

    assert os.environ.get("HV_TEST_SET_MEANWHILE") == "x"


@pytest.mark.usefixtures("scratch")
def test_other_threads_never_see_the_environment_emptied() -> None:
    stop = threading.Event()

    def cold_starts() -> None:
        while not stop.is_set():
            with function_environment({"HV_TEST_FUNCTION_ONLY": "1"}):
                pass

    thread = threading.Thread(target=cold_starts)
    thread.start()
    try:
        missing = sum("HV_TEST_SHARED" not in os.environ for _ in range(200_000))
    finally:
        stop.set()
        thread.join()
    assert missing == 0


def test_settings_read_during_a_change_do_not_outlive_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class SlowSettings(Settings):
        """Reads the environment, then takes its time (a thread preempted after reading)."""

        def __init__(self) -> None:
            super().__init__()
            time.sleep(0.3)

    monkeypatch.setattr(hotelvoice.settings, "Settings", SlowSettings)
    monkeypatch.setenv("HOTELVOICE_API_URL", "http://127.0.0.1:1")
    get_settings.cache_clear()
    reader = threading.Thread(target=get_settings)
    reader.start()
    time.sleep(0.1)  # the reader has read the old URL and is still building its settings

    monkeypatch.setenv("HOTELVOICE_API_URL", "http://127.0.0.1:2")
    get_settings.cache_clear()
    reader.join()

    assert get_settings().api_url == "http://127.0.0.1:2"
