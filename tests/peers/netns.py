"""A network namespace of the test's own, joined to the host by one veth pair.

libwebrtc gathers no ICE candidates on loopback, so a WebRTC client (the LiveKit worker's rtc
SDK) can only connect to a local peer over a real interface. The test makes one: a namespace
with a veth pair whose two ends carry addresses from a private /30 of the test's own; the
worker runs inside (``ip netns exec``), the peers listen on the host end. No traffic leaves
for any address outside that /30 and loopback.

Needs root (CI runs as root). The namespace is always removed on exit, and namespaces left by
a killed earlier run (their creator's pid is gone) are removed on the next start.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import subprocess
from dataclasses import dataclass, field

PREFIX = "hvtest"
_NAME = re.compile(rf"^{PREFIX}-(\d+)-(\d+)$")
_SUBNETS = ipaddress.ip_network("10.213.0.0/16")


def _ip(*args: str) -> str:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_orphans() -> list[str]:
    """Delete namespaces this module made in processes that no longer exist."""
    removed = []
    for line in _ip("netns", "list").splitlines():
        name = line.split()[0] if line.strip() else ""
        match = _NAME.match(name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(RuntimeError):
                _ip("netns", "delete", name)
                removed.append(name)
    return removed


@dataclass
class NetworkNamespace:
    """``with NetworkNamespace() as ns:`` then run commands under ``ns.exec_prefix``.

    ``host_address`` is the host end (bind the peers there), ``inner_address`` the namespace's.
    """

    index: int = 0
    """Distinguishes namespaces made by one process (each gets its own /30)."""
    name: str = field(init=False)
    host_address: str = field(init=False)
    inner_address: str = field(init=False)
    _host_link: str = field(init=False)

    def __post_init__(self) -> None:
        pid = os.getpid()
        self.name = f"{PREFIX}-{pid}-{self.index}"
        # One /30 per (pid, index), inside 10.213.0.0/16: 16,384 of them.
        slot = (pid * 8 + self.index) % (_SUBNETS.num_addresses // 4)
        base = _SUBNETS.network_address + slot * 4
        self.host_address = str(base + 1)
        self.inner_address = str(base + 2)
        self._host_link = f"hv{pid % 100000}h{self.index}"

    @property
    def exec_prefix(self) -> list[str]:
        """Prefix a command with this to run it inside the namespace."""
        return ["ip", "netns", "exec", self.name]

    def __enter__(self) -> NetworkNamespace:
        remove_orphans()
        inner_link = f"{self._host_link[:-2]}n{self.index}"
        _ip("netns", "add", self.name)
        try:
            _ip("link", "add", self._host_link, "type", "veth", "peer", "name", inner_link)
            _ip("link", "set", inner_link, "netns", self.name)
            _ip("addr", "add", f"{self.host_address}/30", "dev", self._host_link)
            _ip("link", "set", self._host_link, "up")
            inside = ["-n", self.name]
            _ip(*inside, "addr", "add", f"{self.inner_address}/30", "dev", inner_link)
            _ip(*inside, "link", "set", inner_link, "up")
            _ip(*inside, "link", "set", "lo", "up")
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.remove()

    def remove(self) -> None:
        """Delete the namespace (its veth end goes with it, and so the host end)."""
        with contextlib.suppress(RuntimeError):
            _ip("netns", "delete", self.name)
        with contextlib.suppress(RuntimeError):
            _ip("link", "delete", self._host_link)

    def exists(self) -> bool:
        listed = _ip("netns", "list").splitlines()
        return any(line.split()[0] == self.name for line in listed if line.strip())
