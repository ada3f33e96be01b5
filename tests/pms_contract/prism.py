"""One ``prism mock`` process serving one vendor description on a free loopback port.

Prism is a Node program pinned by ``tests/pms_contract/package-lock.json`` and installed by
``make test`` (``npm ci``). It validates every request against the description: a request the
vendor would refuse is answered 4xx (the spec's 422/400, or 401 for a missing credential) with
an ``sl-violations`` header. ``--errors`` is deliberately not passed: in mock mode it changes
nothing for requests and only turns the description's own example/schema mismatches into 500s,
which would hide the spec's answer from the connector under test.

The process runs in a session of its own, so ``stop()`` ends it and anything it forked, and an
``atexit`` hook stops any server a crashed test session left running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

PACKAGE_DIR = Path(__file__).resolve().parent
PRISM_JS = PACKAGE_DIR / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
INSTALL_HINT = "run `make test` or `npm ci --prefix tests/pms_contract`"

# OPERA's 1.2 MB description takes ~10 s to load on a busy 2-core runner; leave headroom.
STARTUP_TIMEOUT_S = 120.0
_PORT_ATTEMPTS = 3

_running: set[PrismServer] = set()


class PrismNotInstalled(LookupError):
    """Node or the pinned Prism is missing; the message says how to install it."""


def prism_command() -> list[str]:
    """``node …/prism-cli/dist/index.js``: the pinned Prism, never a global or ``npx`` download.

    Raises:
        PrismNotInstalled: when ``node`` is not on PATH or ``npm ci`` has not run.
    """
    node = shutil.which("node")
    if node is None:
        raise PrismNotInstalled(f"node is not on PATH; install Node 20+ and {INSTALL_HINT}")
    if not PRISM_JS.is_file():
        raise PrismNotInstalled(f"Prism is not installed at {PRISM_JS}; {INSTALL_HINT}")
    return [node, str(PRISM_JS)]


def free_port() -> int:
    """A loopback port nobody listens on now (Prism binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrismServer:
    """``prism mock`` for one description; ``url`` once ``start()`` returns.

    Its log (every request, every violation) goes to ``log_path``: the first place to look
    when a contract test fails.
    """

    def __init__(
        self, spec: Path, log_path: Path, *, startup_timeout: float = STARTUP_TIMEOUT_S
    ) -> None:
        self.spec = spec
        self.log_path = log_path
        self.startup_timeout = startup_timeout
        self.port = 0
        self.startup_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the running mock (no trailing slash)."""
        if self._process is None:
            raise RuntimeError("Prism is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The Prism process id while it runs (for memory readings)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> PrismServer:
        """Start Prism and wait until it answers HTTP; retry on a port another process took.

        Raises:
            PrismNotInstalled: when Node or Prism is missing.
            RuntimeError: when Prism exits or does not answer within ``startup_timeout``.
        """
        command = prism_command()
        began = time.monotonic()
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            self.port = free_port()
            self._launch(command)
            try:
                self._wait_until_serving()
            except _PortTaken:
                self.stop()
                if attempt == _PORT_ATTEMPTS:
                    raise RuntimeError(f"Prism found no free port; see {self.log_path}") from None
                continue
            except BaseException:
                self.stop()
                raise
            self.startup_seconds = time.monotonic() - began
            return self
        raise AssertionError("unreachable")

    def _launch(self, command: list[str]) -> None:
        args = ["mock", "--host", "127.0.0.1", "--port", str(self.port), "--no-cors"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # fixed argv, no shell
                [*command, *args, str(self.spec)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends all of it
                env={**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"},
            )
        _running.add(self)

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        probe = f"http://127.0.0.1:{self.port}/"
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                log = self.log_tail()
                if "EADDRINUSE" in log:
                    raise _PortTaken
                raise RuntimeError(
                    f"Prism exited ({self._process.returncode}) serving {self.spec}:\n{log}"
                )
            try:
                with urllib.request.urlopen(probe, timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # any HTTP answer (Prism says 404: no path "/") means it serves
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Prism did not answer within {self.startup_timeout:.0f} s serving "
                    f"{self.spec}:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` of Prism's log, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """End Prism's process group: SIGTERM, then SIGKILL after 5 s. Safe to call twice."""
        process, self._process = self._process, None
        _running.discard(self)
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> PrismServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _PortTaken(Exception):
    """Prism lost the race for the port ``free_port()`` chose."""


@atexit.register
def _stop_leftovers() -> None:
    """Stop any Prism a session ended without tearing down (e.g. an interrupted run)."""
    for server in list(_running):
        server.stop()
