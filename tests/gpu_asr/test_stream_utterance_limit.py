"""One utterance is bounded, not the stream: speech past ``asr_max_audio_s`` gets a final there.

The local backend served by uvicorn, as in ``test_stream_local``; the stream goes on after the
cut, so a caller who never pauses (or noise the endpointer takes for speech) costs bounded
decoding and memory instead of a closed stream.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest
from proxy_stream import open_stream, send_audio, serving, settings_env, until_closed

from gpu_asr import routes
from gpu_asr.app import create_proxy_app
from hotelvoice.auth import Role, mint_token

SECOND = 16000 * 2
LIMIT_S = 1.5


@pytest.fixture(scope="module")
def proxy_url(plane) -> Iterator[str]:
    with settings_env(asr_backend="local"):
        routes.backend.cache_clear()
        with serving(create_proxy_app()) as url:
            yield url
    routes.backend.cache_clear()


async def test_speech_longer_than_the_limit_is_cut_into_finals_and_the_stream_goes_on(
    proxy_url, plane, phrase_16k
):
    token = mint_token("realtime-agent", Role.SERVICE, ["*"])
    with settings_env(asr_max_audio_s=LIMIT_S):
        async with open_stream(proxy_url, token, "sample_rate=16000&language=en") as ws:
            await send_audio(ws, phrase_16k.samples + bytes(SECOND))
            await ws.send(json.dumps({"type": "end"}))
            closed = await until_closed(ws)
    finals = closed.of_type("final")

    assert phrase_16k.duration_s > 2 * LIMIT_S
    assert len(finals) >= 3, finals
    for final in finals:
        assert final["end_s"] - final["start_s"] <= LIMIT_S + 0.05
    for before, after in itertools.pairwise(finals):
        assert after["start_s"] == pytest.approx(before["end_s"], abs=0.05)  # no speech lost
    assert closed.messages[-1] == {"type": "end", "audio_s": round(phrase_16k.duration_s + 1, 3)}
    assert closed.code == 1000
