"""The real ASR proxy (``gpu_asr`` on its pocketsphinx backend) on a loopback port.

The proxy runs in a uvicorn thread of the test process so that the agent's plugin goes
through real HTTP, real auth and the real recogniser; tokens are signed with the local key.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from peers.refused_port import refused_port

from hotelvoice.auth import signing_key
from hotelvoice.settings import get_settings

STARTUP_TIMEOUT_S = 10.0


@pytest.fixture(scope="module")
def local_auth() -> Iterator[None]:
    """Local mode for this module only: the HS256 key signs and verifies service tokens."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTELVOICE_LOCAL_MODE", "true")
        patch.setenv("HOTELVOICE_ASR_BACKEND", "local")
        patch.delenv("HOTELVOICE_RATE_LIMIT_TABLE", raising=False)
        get_settings.cache_clear()
        signing_key.cache_clear()
        yield
    get_settings.cache_clear()
    signing_key.cache_clear()


@pytest.fixture(scope="module")
def asr_url(local_auth: None) -> Iterator[str]:
    """Base URL of the ASR proxy, its recogniser already loaded."""
    from gpu_asr.app import app

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="asr-proxy", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ASR proxy did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    health = httpx.get(f"{url}/health", timeout=STARTUP_TIMEOUT_S).json()
    assert health == {"status": "ok", "backend": "local-pocketsphinx"}
    yield url
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> Iterator[str]:
    """A loopback URL that refuses connections for the whole test."""
    with refused_port() as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A loopback URL that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
