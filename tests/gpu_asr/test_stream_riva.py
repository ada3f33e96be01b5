"""``WS /v1/transcribe/stream`` on ``asr_backend=riva``: uvicorn, the proxy, the official Riva
client and a local Riva peer speaking ``StreamingRecognize``.

The peer decodes what it receives with pocketsphinx unless a test scripts its answer, so a
final only reads right if the proxy streamed Riva the caller's samples, rate and encoding.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace

import grpc
import httpx
import pytest
from peers.riva_asr_peer import PEER_CONFIDENCE, RivaAsrPeer
from proxy_stream import (
    next_of_type,
    open_stream,
    send_audio,
    serving,
    settings_env,
    until_closed,
)
from websockets.exceptions import ConnectionClosed

from gpu_asr import routes
from gpu_asr.app import create_proxy_app
from hotelvoice.auth import Role, mint_token

PHRASE = "do you have a room from december twelfth to december fifteenth for two adults"
SECOND = 16000 * 2
END = json.dumps({"type": "end"})


@pytest.fixture(scope="module")
def riva(plane) -> Iterator[RivaAsrPeer]:
    with RivaAsrPeer(languages=("en-US", "de-DE")) as peer:
        yield peer


@pytest.fixture(scope="module")
def proxy(riva) -> Iterator[SimpleNamespace]:
    with settings_env(asr_backend="riva", riva_uri=riva.uri):
        routes.backend.cache_clear()
        app = create_proxy_app()
        with serving(app) as url:
            yield SimpleNamespace(url=url, app=app)
        routes.backend().close()
    routes.backend.cache_clear()


@pytest.fixture
def peer(riva: RivaAsrPeer) -> RivaAsrPeer:
    """The module's peer, serving and healthy, with no recorded requests."""
    riva.start()
    riva.recover()
    riva.requests.clear()
    riva.interim_every_s = 0.5
    return riva


@pytest.fixture(scope="module")
def token(plane) -> str:
    return mint_token("realtime-agent", Role.SERVICE, ["*"])


async def test_a_spoken_phrase_comes_back_as_partials_then_a_final(proxy, token, peer, phrase_16k):
    peer.interim_every_s = 2.0  # the peer decodes all audio so far for each partial
    async with open_stream(proxy.url, token) as ws:
        await send_audio(ws, phrase_16k.samples)
        await ws.send(END)
        closed = await until_closed(ws)

    kinds = [m["type"] for m in closed.messages]
    assert kinds == ["partial"] * kinds.count("partial") + ["final", "end"]
    assert kinds.count("partial") >= 1
    assert PHRASE.startswith(closed.of_type("partial")[0]["text"])
    (final,) = closed.of_type("final")
    assert final["text"] == PHRASE
    assert final["confidence"] == pytest.approx(PEER_CONFIDENCE)
    assert final["language"] == "en"  # no hint: lingua read the text
    assert [w["word"] for w in final["words"]] == PHRASE.split()
    assert final["end_s"] <= phrase_16k.duration_s + 0.05
    assert closed.messages[-1] == {"type": "end", "audio_s": round(phrase_16k.duration_s, 3)}
    assert closed.code == 1000
    (seen,) = peer.requests
    assert seen.method == "StreamingRecognize"
    assert seen.audio == phrase_16k.samples
    assert (seen.config.sample_rate_hertz, seen.config.language_code) == (16000, "en-US")
    assert seen.config.enable_word_time_offsets


async def test_without_a_hint_german_text_is_reported_as_german(proxy, token, peer):
    peer.say("ich möchte ein zimmer für zwei nächte")
    async with open_stream(proxy.url, token) as ws:
        await send_audio(ws, bytes(SECOND))
        await ws.send(END)
        closed = await until_closed(ws)

    (final,) = closed.of_type("final")
    assert (final["text"], final["language"]) == ("ich möchte ein zimmer für zwei nächte", "de")


async def test_a_hint_becomes_the_riva_locale_and_the_reported_language(proxy, token, peer):
    peer.say("ich möchte ein zimmer")
    async with open_stream(proxy.url, token, "sample_rate=8000&language=de") as ws:
        await send_audio(ws, bytes(8000), rate=8000)
        await ws.send(json.dumps({"type": "flush"}))
        final, _ = await next_of_type(ws, "final")
        await ws.send(END)
        closed = await until_closed(ws)

    assert (final["text"], final["language"]) == ("ich möchte ein zimmer", "de")
    assert closed.messages == [{"type": "end", "audio_s": 0.5}]
    assert peer.requests[0].config.language_code == "de-DE"
    assert peer.requests[0].config.sample_rate_hertz == 8000


async def test_a_language_riva_has_no_model_for_closes_4400(proxy, token, peer):
    async with open_stream(proxy.url, token, "sample_rate=16000&language=fr") as ws:
        await send_audio(ws, bytes(SECOND // 2))
        closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (4400, "asr_rejected")


async def test_riva_restarting_mid_utterance_loses_no_audio(proxy, token, peer, phrase_16k):
    peer.say("do you have a room", "do you have a room for two adults")
    first = phrase_16k.samples[: 5 * SECOND // 2]
    with settings_env(asr_reconnect_s=5):
        async with open_stream(proxy.url, token, "sample_rate=16000&language=en") as ws:
            await send_audio(ws, first)
            await next_of_type(ws, "partial")  # Riva has heard the first half
            peer.stop()
            peer.start()
            await send_audio(ws, phrase_16k.samples[len(first) :])
            await ws.send(END)
            closed = await until_closed(ws)

    assert [m["text"] for m in closed.of_type("final")] == ["do you have a room for two adults"]
    assert closed.code == 1000
    # The call after the restart was sent the whole utterance again, not only its second half.
    assert peer.requests[-1].audio == phrase_16k.samples


async def test_riva_gone_past_the_reconnect_budget_closes_1011(proxy, token, peer, phrase_16k):
    peer.say("do you have a room")
    with settings_env(asr_reconnect_s=0.5):
        async with open_stream(proxy.url, token, "sample_rate=16000&language=en") as ws:
            await send_audio(ws, phrase_16k.samples[: 2 * SECOND])
            await next_of_type(ws, "partial")
            peer.stop()
            stopped = time.monotonic()
            closed = await until_closed(ws)
            waited = time.monotonic() - stopped

    assert (closed.code, closed.reason) == (1011, "asr_unavailable")
    assert [m["error"]["code"] for m in closed.of_type("error")] == ["asr_unavailable"]
    assert 0.5 <= waited < 3


async def test_streams_beyond_the_limit_are_refused_and_the_rest_finish(proxy, token, peer):
    registry = proxy.app.state.metrics.registry
    refused_before = registry.get_sample_value("asr_streams_refused_total")
    peer.say("one room please", "two rooms please", "three rooms please")
    with settings_env(asr_max_streams=3):
        clients = [open_stream(proxy.url, token, "sample_rate=16000&language=en") for _ in range(5)]
        sockets = [await client.__aenter__() for client in clients]
        try:
            deadline = time.monotonic() + 5
            while registry.get_sample_value("asr_streams_refused_total") < refused_before + 2:
                assert time.monotonic() < deadline, "two streams should have been refused"
                await asyncio.sleep(0.01)
            assert registry.get_sample_value("asr_active_streams") == 3

            async def talk(ws):
                try:
                    await send_audio(ws, bytes(SECOND))
                    await ws.send(END)
                except ConnectionClosed:  # a refused stream is closed under the sender
                    pass
                return await until_closed(ws)

            outcomes = await asyncio.gather(*(talk(ws) for ws in sockets))
        finally:
            for client in clients:
                await client.__aexit__(None, None, None)

    refused = [o for o in outcomes if o.code == 1013]
    finished = [o for o in outcomes if o.code == 1000]
    assert len(refused) == 2
    assert all(o.reason == "overloaded" for o in refused)
    assert all(o.messages[0]["error"]["code"] == "overloaded" for o in refused)
    assert len(finished) == 3
    heard = sorted(o.of_type("final")[0]["text"] for o in finished)
    assert heard == ["one room please", "three rooms please", "two rooms please"]
    base = proxy.url.replace("ws://", "http://")
    async with httpx.AsyncClient(base_url=base) as http:
        scraped = await http.get("/metrics", headers={"authorization": f"Bearer {token}"})
    assert "asr_active_streams 0.0" in scraped.text
    assert f"asr_streams_refused_total {refused_before + 2}" in scraped.text


@pytest.mark.parametrize(
    ("status", "reason"),
    [(grpc.StatusCode.INTERNAL, "asr_failed"), (grpc.StatusCode.UNAVAILABLE, "asr_unavailable")],
)
async def test_a_broken_riva_ends_the_stream_1011_without_its_internals(
    proxy, token, peer, status, reason
):
    peer.fail_from_now(status, "Triton inference server: model not ready (secret internals)")
    with settings_env(asr_reconnect_s=0.3):
        async with open_stream(proxy.url, token, "sample_rate=16000&language=en") as ws:
            await send_audio(ws, bytes(SECOND // 2))
            closed = await until_closed(ws)

    assert (closed.code, closed.reason) == (1011, reason)
    assert [m["error"]["code"] for m in closed.messages] == [reason]
    assert "Triton" not in json.dumps(closed.messages)


async def test_a_riva_that_recovers_within_the_budget_still_answers(proxy, token, peer):
    peer.fail_from_now(grpc.StatusCode.UNAVAILABLE)
    peer.say("a room for tonight please")
    with settings_env(asr_reconnect_s=5):
        async with open_stream(proxy.url, token, "sample_rate=16000&language=en") as ws:
            await send_audio(ws, bytes(SECOND // 2))
            await asyncio.sleep(0.3)
            peer.recover()
            await send_audio(ws, bytes(SECOND // 2))
            await ws.send(END)
            closed = await until_closed(ws)

    assert [m["text"] for m in closed.of_type("final")] == ["a room for tonight please"]
    assert closed.code == 1000
    assert peer.requests[-1].audio == bytes(SECOND)
