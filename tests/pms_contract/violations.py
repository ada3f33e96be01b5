"""What Prism says about a request the vendor's description refuses, read off its answer.

Prism reports in two ways, and a connector may swallow the 4xx either way, so the harness reads
every answer itself (in the proxy in front of Prism) instead of trusting the connector's result:

- an ``sl-violations`` header: a JSON list of ``{location, severity, code, message}``. A
  ``location`` starting with ``"request"`` is the caller's fault (errors are answered 4xx;
  warnings such as a deprecated parameter are answered 2xx, and only the header tells).
  ``"response"`` means the description's own example breaks its own schema: a spec defect.
- a Prism-made ``application/problem+json`` whose ``type`` is
  ``https://stoplight.io/prism/errors#…`` and that carries no header: no such path
  (``NO_PATH_MATCHED_ERROR``), no such method, a ``Prefer: code=`` the spec does not define
  (``NOT_FOUND``), an ``Accept`` it cannot serve (``NOT_ACCEPTABLE``, or
  ``NO_COMPLEX_OBJECT_TEXT`` when ``*/*`` picks a text/plain it cannot render). No vendor sends
  these.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

PRISM_ERROR_PREFIX = "https://stoplight.io/prism/errors#"

# What to do about the Prism-made refusals whose title alone does not say.
_HINTS = {
    "NO_COMPLEX_OBJECT_TEXT": "send `Accept: application/json`: the operation lists text/plain "
    "first and Prism picks it for `*/*` (Apaleo Inventory)",
    "NOT_FOUND": "a `Prefer: code=` the operation does not define, or no such example",
}


@dataclass(frozen=True)
class Violation:
    """One thing Prism refused or flagged in one exchange."""

    method: str
    path: str
    status: int
    location: tuple[str, ...]
    severity: str
    code: str
    message: str

    @property
    def from_request(self) -> bool:
        """The caller's fault (as opposed to a defect in the description's own answer)."""
        return not self.location or self.location[0] != "response"

    def __str__(self) -> str:
        where = ".".join(self.location) or "request"
        return f"{self.method} {self.path} -> {self.status}: [{where}] {self.message} ({self.code})"


def find_violations(
    method: str, path: str, status: int, headers: Mapping[str, str], body: bytes
) -> list[Violation]:
    """Every violation Prism reported in one answer (empty for a clean exchange)."""
    header = _header(headers, "sl-violations")
    if header is not None:
        return [_from_entry(method, path, status, entry) for entry in _parse_header(header)]
    problem = _prism_problem(headers, body)
    if problem is None:
        return []
    kind = str(problem.get("type", "")).removeprefix(PRISM_ERROR_PREFIX)
    message = str(problem.get("detail") or problem.get("title") or kind)
    if kind in _HINTS:
        message = f"{message} ({_HINTS[kind]})"
    return [Violation(method, path, status, ("request",), "Error", kind, message)]


def response_violations(response: httpx.Response) -> list[Violation]:
    """``find_violations`` for an ``httpx`` answer (from the proxy or from Prism directly)."""
    return find_violations(
        response.request.method,
        response.request.url.raw_path.decode(),
        response.status_code,
        response.headers,
        response.content,
    )


def assert_no_violation(response: httpx.Response) -> None:
    """Fail unless Prism accepted the request behind ``response`` without remark."""
    found = response_violations(response)
    assert not found, "Prism flagged the exchange:\n" + "\n".join(f"  {v}" for v in found)


class ViolationLog:
    """Violations seen since the last ``drain()``; written by the proxy thread, read by tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[Violation] = []

    def add(self, found: list[Violation]) -> None:
        """Record violations from one exchange."""
        with self._lock:
            self._seen.extend(found)

    def drain(self) -> list[Violation]:
        """Everything recorded since the last drain, and forget it."""
        with self._lock:
            seen, self._seen = self._seen, []
        return seen

    @contextmanager
    def expected(self) -> Iterator[list[Violation]]:
        """For a test that sends a bad request on purpose: take what the block caused.

        Violations from before the block stay pending for the guard. Fails when the block
        caused no request violation: the test meant one, so Prism's silence is the bug.
        """
        earlier = self.drain()
        caught: list[Violation] = []
        try:
            yield caught
        finally:
            caught.extend(self.drain())
            self.add(earlier)
        assert any(v.from_request for v in caught), "expected Prism to flag a request; it did not"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _parse_header(value: str) -> list[dict[str, object]]:
    try:
        entries = json.loads(value)
    except ValueError:  # "Too many violations! …" (Prism truncates at ~8 KB)
        return [{"location": ["request"], "severity": "Error", "code": "", "message": value}]
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _from_entry(method: str, path: str, status: int, entry: Mapping[str, object]) -> Violation:
    location = entry.get("location")
    return Violation(
        method,
        path,
        status,
        tuple(str(p) for p in location) if isinstance(location, list) else ("request",),
        str(entry.get("severity", "Error")),
        str(entry.get("code", "")),
        str(entry.get("message", "")),
    )


def _prism_problem(headers: Mapping[str, str], body: bytes) -> dict[str, object] | None:
    content_type = _header(headers, "content-type") or ""
    if "problem+json" not in content_type:
        return None
    try:
        problem = json.loads(body)
    except ValueError:
        return None
    if isinstance(problem, dict) and str(problem.get("type", "")).startswith(PRISM_ERROR_PREFIX):
        return problem
    return None
