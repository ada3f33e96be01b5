"""A vendor's mock as a connector test sees it: Prism behind our recording, fault-injecting proxy.

``url`` is the proxy's, so every exchange is read for violations on the way back, whatever the
connector does with the answer. The fixtures keep one ``PmsMock`` per vendor for the session
(Prism takes seconds to load a description) and reset it around each test: faults and records
start empty, and a request the spec refuses fails the test that sent it.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from pms_contract.fault_proxy import Fault, FaultProxy, RecordedRequest
from pms_contract.prism import PrismServer
from pms_contract.specs import VENDORS
from pms_contract.violations import Violation, ViolationLog


class SpecDefectWarning(UserWarning):
    """The vendor description's own example answer breaks its own schema (not our fault)."""


class PmsMock:
    """One vendor: ``url`` (proxy), ``prism_url`` (Prism direct: unguarded), faults, records."""

    def __init__(self, vendor: str, spec: Path, log_path: Path) -> None:
        self.vendor = vendor
        self.violations = ViolationLog()
        self.prism = PrismServer(spec, log_path)
        self._proxy: FaultProxy | None = None

    def start(self) -> PmsMock:
        """Start Prism, then the proxy in front of it."""
        self.prism.start()
        try:
            self._proxy = FaultProxy(
                self.prism.url,
                error_body=VENDORS[self.vendor].error_body,
                on_violations=self.violations.add,
                name=f"{self.vendor}-proxy",
            ).start()
        except BaseException:
            self.prism.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the proxy and Prism (each at most once)."""
        try:
            if self._proxy is not None:
                self._proxy.stop()
        finally:
            self.prism.stop()

    @property
    def proxy(self) -> FaultProxy:
        """The proxy in front of Prism (faults, recorded requests)."""
        if self._proxy is None:
            raise RuntimeError(f"{self.vendor} mock is not running")
        return self._proxy

    @property
    def url(self) -> str:
        """Base URL for the connector under test: the guarded proxy."""
        return self.proxy.url

    @property
    def prism_url(self) -> str:
        """Prism itself: no records, no faults, no violation guard. For harness checks only."""
        return self.prism.url

    @property
    def requests(self) -> list[RecordedRequest]:
        """What the connector sent during this test, oldest first."""
        return self.proxy.requests

    def inject(self, fault: Fault, times: int = 1, *, path_contains: str | None = None) -> None:
        """See ``FaultProxy.inject``: the next ``times`` matching requests get ``fault``."""
        self.proxy.inject(fault, times, path_contains=path_contains)

    def expect_violations(self) -> contextlib.AbstractContextManager[list[Violation]]:
        """``with mock.expect_violations() as caught:`` around a request refused on purpose."""
        return self.violations.expected()

    def raise_for_violations(self) -> None:
        """Fail the current test for every request violation since the last check.

        Spec defects (the description's own example failing its schema) only warn: the
        connector cannot fix them, but its author should know which answers are suspect.
        """
        found = self.violations.drain()
        defects = [v for v in found if not v.from_request]
        for defect in defects:
            warnings.warn(f"{self.vendor} spec defect: {defect}", SpecDefectWarning, stacklevel=2)
        refused = [v for v in found if v.from_request]
        if refused:
            lines = "\n".join(f"  {v}" for v in refused)
            pytest.fail(
                f"this test's requests broke the {self.vendor} API description "
                f"({len(refused)} violation(s); Prism log: {self.prism.log_path}):\n{lines}",
                pytrace=False,
            )

    @contextlib.contextmanager
    def guarded(self) -> Iterator[PmsMock]:
        """One test's use: fresh faults and records, and its violations fail it at the end."""
        self.proxy.clear_faults()
        self.proxy.clear_requests()
        self.violations.drain()
        yield self
        self.proxy.clear_faults()
        self.raise_for_violations()
