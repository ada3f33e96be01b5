"""Fixtures: one guarded Prism mock per PMS vendor (``apaleo_mock``, ``mews_mock``, ``opera_mock``).

Prism starts once per session (per xdist worker) and only for the vendors a test asks for;
the per-test fixture resets its faults and records. A request the vendor's description refuses
fails the test that sent it: right after its call phase (so it reports FAILED, even when the
connector swallowed the 4xx), and again at teardown for anything sent later. Without the
descriptions or the pinned Prism, tests skip with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pms_contract.pms_mock import PmsMock
from pms_contract.prism import PrismNotInstalled, prism_command
from pms_contract.specs import SpecsMissing, mock_file


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test that passed while one of its vendor mocks flagged a request it sent."""
    result = yield
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, PmsMock):
            value.raise_for_violations()
    return result


def _start(vendor: str, tmp_path_factory: pytest.TempPathFactory) -> PmsMock:
    try:
        spec = mock_file(vendor)
        prism_command()
    except (SpecsMissing, PrismNotInstalled) as missing:
        pytest.skip(str(missing))
    log = tmp_path_factory.mktemp(f"prism-{vendor}") / "prism.log"
    return PmsMock(vendor, spec, log).start()


@pytest.fixture(scope="session")
def apaleo_mock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PmsMock]:
    mock = _start("apaleo", tmp_path_factory)
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture(scope="session")
def mews_mock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PmsMock]:
    mock = _start("mews", tmp_path_factory)
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture(scope="session")
def opera_mock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PmsMock]:
    mock = _start("opera", tmp_path_factory)
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture
def apaleo_mock(apaleo_mock_server: PmsMock) -> Iterator[PmsMock]:
    """Apaleo (Booking + Inventory + identity token) behind the guarded fault proxy."""
    with apaleo_mock_server.guarded() as mock:
        yield mock


@pytest.fixture
def mews_mock(mews_mock_server: PmsMock) -> Iterator[PmsMock]:
    """Mews Connector API (18 operations) behind the guarded fault proxy."""
    with mews_mock_server.guarded() as mock:
        yield mock


@pytest.fixture
def opera_mock(opera_mock_server: PmsMock) -> Iterator[PmsMock]:
    """OPERA Cloud (par, rsv, entcfg, oauth) behind the guarded fault proxy."""
    with opera_mock_server.guarded() as mock:
        yield mock
