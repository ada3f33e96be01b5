"""The scenario suite's LiveKit server peer for the line (the report is in tests/conftest.py)."""

from __future__ import annotations

import pytest
from peers.livekit_server_peer import LiveKitServerPeer
from scenario_report import LIVEKIT_KEY, LIVEKIT_SECRET


@pytest.fixture(scope="session")
def livekit_peer():
    with LiveKitServerPeer(api_key=LIVEKIT_KEY, api_secret=LIVEKIT_SECRET) as peer:
        yield peer
