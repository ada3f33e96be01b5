"""``WS /v1/transcribe/stream`` on the local backend (pocketsphinx), served by uvicorn.

Also the stream's refusals and limits, which do not depend on the backend: each must reach a
real ``websockets`` client as an ``error`` message and then its close code and reason.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace

import httpx
import pytest
from proxy_stream import (
    next_of_type,
    open_stream,
    send_audio,
    serving,
    settings_env,
    until_closed,
)

from gpu_asr import routes
from gpu_asr.app import create_proxy_app
from hotelvoice.auth import Role, mint_token
from hotelvoice.contracts.asr_stream import MAX_FRAME_BYTES

PHRASE = "do you have a room from december twelfth to december fifteenth for two adults"
SECOND = 16000 * 2


@pytest.fixture(scope="module")
def proxy(plane) -> Iterator[SimpleNamespace]:
    with settings_env(asr_backend="local"):
        routes.backend.cache_clear()
        app = create_proxy_app()
        with serving(app) as url:
            yield SimpleNamespace(url=url, app=app)
    routes.backend.cache_clear()


@pytest.fixture(scope="module")
def tokens(plane) -> SimpleNamespace:
    return SimpleNamespace(
        service=mint_token("realtime-agent", Role.SERVICE, ["*"]),
        staff=mint_token("front-desk", Role.STAFF, ["hotel-1"]),
    )


async def test_partials_while_speaking_a_final_at_the_pause_then_end(proxy, tokens, phrase_16k):
    first = phrase_16k.samples[: 5 * SECOND // 2]
    async with open_stream(proxy.url, tokens.service) as ws:
        await send_audio(ws, first)
        partial, _ = await next_of_type(ws, "partial")
        await send_audio(ws, phrase_16k.samples[len(first) :] + bytes(SECOND))
        final, _ = await next_of_type(ws, "final")  # the endpointer heard the pause
        await ws.send(json.dumps({"type": "end"}))
        closed = await until_closed(ws)

    assert partial["text"].startswith("do you")
    assert final["text"] == PHRASE
    assert final["language"] == "en"  # no hint: lingua read the text
    assert [w["word"] for w in final["words"]] == PHRASE.split()
    assert 0 <= final["start_s"] <= final["words"][0]["start_s"]
    assert final["words"][-1]["end_s"] <= final["end_s"] <= phrase_16k.duration_s + 0.5
    audio_s = round(phrase_16k.duration_s + 1, 3)
    assert closed.messages == [{"type": "end", "audio_s": audio_s}]
    assert (closed.code, closed.reason) == (1000, "")


async def test_telephone_rate_flush_answers_with_a_final_each_time(proxy, tokens, phrase_16k):
    narrow = phrase_16k.resample(8000).samples
    async with open_stream(proxy.url, tokens.service, "sample_rate=8000&language=en") as ws:
        await send_audio(ws, narrow[: 2 * 8000 * 2], rate=8000)  # mid-sentence
        await ws.send(json.dumps({"type": "flush"}))
        heard, _ = await next_of_type(ws, "final")
        await ws.send(json.dumps({"type": "flush"}))
        nothing, _ = await next_of_type(ws, "final")
        await ws.send(json.dumps({"type": "end"}))
        closed = await until_closed(ws)

    assert heard["text"].startswith("do you have")
    assert heard["language"] == "en"
    assert heard["end_s"] == pytest.approx(2.0, abs=0.05)
    assert nothing["text"] == ""
    assert closed.messages == [{"type": "end", "audio_s": 2.0}]
    assert closed.code == 1000


@pytest.mark.parametrize(
    ("who", "query", "close", "code"),
    [
        (None, "sample_rate=16000", 4401, "unauthorized"),
        ("not-a-jwt", "sample_rate=16000", 4401, "unauthorized"),
        ("staff", "sample_rate=16000", 4403, "forbidden"),
        ("service", "sample_rate=44100", 4400, "bad_audio"),
        ("service", "language=en", 4400, "bad_audio"),
        ("service", "sample_rate=16000&language=german", 4400, "invalid_request"),
    ],
)
async def test_refused_streams_say_why_then_close(proxy, tokens, who, query, close, code):
    token = getattr(tokens, who, who) if who else None
    async with open_stream(proxy.url, token, query) as ws:
        closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (close, code)
    (error,) = closed.messages
    assert error["type"] == "error"
    assert error["error"]["code"] == code
    assert error["error"]["message"]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x01\x00\x02", "bad_audio"),  # half a sample
        (bytes(MAX_FRAME_BYTES + 2), "bad_audio"),
        (json.dumps({"type": "pause"}), "bad_message"),
        ("end", "bad_message"),
    ],
)
async def test_bad_frames_close_4400(proxy, tokens, frame, code):
    async with open_stream(proxy.url, tokens.service) as ws:
        await ws.send(bytes(1600))
        await ws.send(frame)
        closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (4400, code)
    assert [m["error"]["code"] for m in closed.of_type("error")] == [code]


async def test_too_much_audio_closes_4400(proxy, tokens):
    with settings_env(asr_max_stream_s=0.25):
        async with open_stream(proxy.url, tokens.service) as ws:
            await send_audio(ws, bytes(3 * SECOND // 10))
            closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (4400, "audio_too_long")


async def test_audio_up_to_the_limit_is_heard_before_the_4400(proxy, tokens, phrase_16k):
    # Sent in the largest frames at once, the audio is read long before pocketsphinx has
    # decoded it: the close must still wait for the final of the question before the limit.
    # The second question is cut by the limit: no final for it, the client carries it.
    question = phrase_16k.samples + bytes(SECOND)
    limit_s = phrase_16k.duration_s + 2.0
    with settings_env(asr_max_stream_s=limit_s):
        async with open_stream(proxy.url, tokens.service) as ws:
            audio = question * 2
            for start in range(0, len(audio), MAX_FRAME_BYTES):
                await ws.send(audio[start : start + MAX_FRAME_BYTES])
            closed = await until_closed(ws)

    assert [m["text"] for m in closed.of_type("final")] == [PHRASE]
    assert closed.messages[-1]["type"] == "error"
    assert closed.messages[-1]["error"]["code"] == "audio_too_long"
    assert (closed.code, closed.reason) == (4400, "audio_too_long")


async def test_a_silent_client_is_closed_4408(proxy, tokens):
    with settings_env(asr_stream_idle_s=0.2):
        async with open_stream(proxy.url, tokens.service) as ws:
            await ws.send(bytes(3200))
            closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (4408, "idle_timeout")
    assert closed.of_type("error")[0]["error"]["code"] == "idle_timeout"


async def test_metrics_count_streams_audio_and_errors_behind_a_token(proxy, tokens):
    registry = proxy.app.state.metrics.registry

    def value(name: str, **labels: str) -> float:
        return registry.get_sample_value(name, labels) or 0.0

    before = {
        "streams": value("asr_streams_total"),
        "unauthorized": value("asr_errors_total", mode="stream", code="unauthorized"),
        "audio": value("asr_audio_seconds_total", mode="stream"),
    }
    async with open_stream(proxy.url, None) as ws:
        await until_closed(ws)
    async with open_stream(proxy.url, tokens.service, "sample_rate=16000&language=en") as ws:
        await send_audio(ws, bytes(SECOND // 2))
        deadline = time.monotonic() + 2
        while value("asr_active_streams") != 1:
            assert time.monotonic() < deadline, "the stream never counted as active"
            await asyncio.sleep(0.01)
        await ws.send(json.dumps({"type": "end"}))
        await until_closed(ws)

    assert value("asr_streams_total") == before["streams"] + 1
    assert value("asr_errors_total", mode="stream", code="unauthorized") == (
        before["unauthorized"] + 1
    )
    assert value("asr_audio_seconds_total", mode="stream") == pytest.approx(before["audio"] + 0.5)
    assert value("asr_active_streams") == 0
    base = proxy.url.replace("ws://", "http://")
    async with httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/metrics")).status_code == 401
        scraped = await http.get("/metrics", headers={"authorization": f"Bearer {tokens.service}"})
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    assert "asr_active_streams 0.0" in scraped.text
    assert 'asr_errors_total{code="unauthorized",mode="stream"}' in scraped.text
