"""One running worker rig per test module: see ``rig.py``."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest
from rig import WorkerRig


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRig]:
    with WorkerRig(tmp_path_factory.mktemp("worker")) as running:
        yield running


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed call shows the end of the worker's log: that is where the reason is."""
    report = yield
    rig = getattr(item, "funcargs", {}).get("worker_rig")
    if report.failed and isinstance(rig, WorkerRig):
        report.sections.append(("worker log (tail)", rig.tail(lines=60)))
    return report
