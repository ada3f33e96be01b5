"""The test namespace: made with a veth pair, reachable from the host, always removed."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from peers.netns import PREFIX, NetworkNamespace, remove_orphans


def _namespaces() -> list[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]


def test_the_namespace_reaches_the_host_end_and_nothing_else() -> None:
    with NetworkNamespace(index=5) as ns:
        assert ns.name in _namespaces()
        with socket.create_server((ns.host_address, 0)) as listener:
            port = listener.getsockname()[1]
            dial = f"import socket; socket.create_connection(({ns.host_address!r}, {port}), 5)"
            inside = subprocess.run(
                [*ns.exec_prefix, sys.executable, "-c", dial], capture_output=True, check=False
            )
            assert inside.returncode == 0, inside.stderr
        routes = subprocess.run(
            [*ns.exec_prefix, "ip", "route"], capture_output=True, text=True, check=True
        ).stdout
        assert "default" not in routes  # no way out but the /30 to the host end
    assert ns.name not in _namespaces()


def _fail_inside(ns: NetworkNamespace) -> None:
    with ns:
        assert ns.exists()
        raise RuntimeError("a failing test")


def test_the_namespace_is_removed_when_the_test_fails() -> None:
    ns = NetworkNamespace(index=6)
    with pytest.raises(RuntimeError, match="a failing test"):
        _fail_inside(ns)
    assert ns.name not in _namespaces()
    links = subprocess.run(["ip", "-br", "link"], capture_output=True, text=True, check=True)
    assert ns._host_link not in links.stdout


def test_a_namespace_left_by_a_killed_run_is_removed_on_the_next_start() -> None:
    # a pid that cannot be alive: above the kernel's maximum
    stale = f"{PREFIX}-4194305-0"
    subprocess.run(["ip", "netns", "add", stale], check=True)
    try:
        assert stale in remove_orphans()
        assert stale not in _namespaces()
    finally:
        subprocess.run(["ip", "netns", "delete", stale], capture_output=True, check=False)
