"""A loopback port that refuses connections, and keeps refusing them while a test uses it.

Binding port 0 and closing the socket frees the port for anyone: under xdist another worker's
peer can be given it a moment later, and the "closed" port answers (a flaky
``test_a_refused_connection_is_retryable`` met another test's Azure peer there). A
socket that stays bound but never listens keeps the port ours, and the kernel answers every
connection attempt with a reset: exactly what a host with the service down does.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def refused_port(host: str = "127.0.0.1") -> Iterator[int]:
    """``with refused_port() as port:``: connections to ``host:port`` are refused inside."""
    with socket.socket() as held:
        held.bind((host, 0))
        yield int(held.getsockname()[1])
