"""The ASR proxy on ``asr_backend=riva``: the official Riva client against a local Riva peer.

The peer decodes the audio it receives with pocketsphinx, so the transcript only comes back
right if the proxy sent Riva the right samples, rate and encoding.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import grpc
import pytest
from fastapi.testclient import TestClient
from peers.riva_asr_peer import PEER_CONFIDENCE, RivaAsrPeer

from gpu_asr import routes
from gpu_asr.app import app
from gpu_asr.riva_backend import RivaBackend
from hotelvoice.auth import Role, mint_token
from hotelvoice.errors import Unavailable
from hotelvoice.settings import get_settings
from hotelvoice.speech.sphinx_asr import Transcript

PHRASE = "do you have a room from december twelfth to december fifteenth for two adults"


@pytest.fixture(scope="module")
def riva(plane) -> Iterator[RivaAsrPeer]:
    with RivaAsrPeer(languages=("en-US", "de-DE")) as peer:
        saved = {k: os.environ.get(k) for k in ("HOTELVOICE_ASR_BACKEND", "HOTELVOICE_RIVA_URI")}
        os.environ["HOTELVOICE_ASR_BACKEND"] = "riva"
        os.environ["HOTELVOICE_RIVA_URI"] = peer.uri
        get_settings.cache_clear()
        routes.backend.cache_clear()
        yield peer
        routes.backend().close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
        routes.backend.cache_clear()


@pytest.fixture
def peer(riva: RivaAsrPeer) -> RivaAsrPeer:
    """The module's peer, serving and healthy, with no recorded requests."""
    riva.start()
    riva.recover()
    riva.requests.clear()
    return riva


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def auth(plane) -> dict[str, str]:
    return {"authorization": f"Bearer {mint_token('realtime-agent', Role.SERVICE, ['*'])}"}


def _post_wav(client, auth, pcm, query: str = ""):
    return client.post(
        f"/v1/transcribe{query}",
        content=pcm.to_wav_bytes(),
        headers={**auth, "content-type": "audio/wav"},
    )


def test_riva_hears_the_audio_and_its_word_timings_come_back(client, auth, peer, phrase_16k):
    response = _post_wav(client, auth, phrase_16k)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["backend"] == "riva"
    assert body["text"] == PHRASE
    assert body["confidence"] == pytest.approx(PEER_CONFIDENCE)
    assert [w["word"] for w in body["words"]] == PHRASE.split()
    assert 0 <= body["words"][0]["start_s"] < body["words"][0]["end_s"] <= body["words"][1]["end_s"]
    assert body["words"][-1]["end_s"] <= body["audio_s"] + 0.05
    (seen,) = peer.requests
    assert seen.method == "Recognize"
    assert seen.audio == phrase_16k.samples
    assert seen.config.sample_rate_hertz == 16000
    assert seen.config.language_code == "en-US"
    assert seen.config.enable_word_time_offsets


def test_two_letter_language_becomes_a_riva_locale(client, auth, peer, phrase_16k):
    peer.say("ich möchte ein zimmer")

    response = _post_wav(client, auth, phrase_16k, "?language=de")

    assert response.status_code == 200, response.text
    assert response.json()["text"] == "ich möchte ein zimmer"
    assert response.json()["language"] == "de"
    assert peer.requests[0].config.language_code == "de-DE"


@pytest.mark.parametrize(
    ("language", "code"), [("fr", "asr_rejected"), ("xx", "unsupported_language")]
)
def test_a_language_riva_cannot_serve_is_a_clear_400(
    client, auth, peer, phrase_16k, language, code
):
    response = _post_wav(client, auth, phrase_16k, f"?language={language}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("status", "http", "code"),
    [
        (grpc.StatusCode.UNAVAILABLE, 503, "asr_unavailable"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, 503, "asr_unavailable"),
        (grpc.StatusCode.INTERNAL, 500, "asr_failed"),
    ],
)
def test_riva_failure_is_the_one_error_body(client, auth, peer, phrase_16k, status, http, code):
    peer.fail_from_now(status, "Triton inference server: model not ready (secret internals)")

    response = _post_wav(client, auth, phrase_16k)

    assert response.status_code == http
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "request_id"}
    assert body["error"]["code"] == code
    assert "Triton" not in response.text


def test_riva_down_is_503_and_health_follows_it(client, auth, peer, phrase_16k):
    assert client.get("/health").json() == {"status": "ok", "backend": "riva"}

    peer.stop()
    down = client.get("/health")
    assert (down.status_code, down.json()) == (503, {"status": "unavailable", "backend": "riva"})
    response = _post_wav(client, auth, phrase_16k)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "asr_unavailable"

    peer.start()  # same port: the proxy's channel finds Riva again by itself
    deadline = time.monotonic() + 5
    while client.get("/health").json()["status"] != "ok":
        assert time.monotonic() < deadline, "proxy did not reconnect to the restarted Riva"
        time.sleep(0.1)
    peer.say(PHRASE)
    assert _post_wav(client, auth, phrase_16k).json()["text"] == PHRASE


def test_health_is_down_while_riva_answers_with_errors(client, peer):
    peer.fail_from_now(grpc.StatusCode.UNAVAILABLE)

    down = client.get("/health")
    assert (down.status_code, down.json()) == (503, {"status": "unavailable", "backend": "riva"})


async def test_a_slow_riva_is_cut_off_at_the_timeout(phrase_16k):
    def slow(pcm) -> Transcript:
        time.sleep(2)
        return Transcript("too late", None, ())

    with RivaAsrPeer(recognize=slow) as slow_peer:
        backend = RivaBackend(slow_peer.uri, timeout_s=0.3)
        started = time.monotonic()
        with pytest.raises(Unavailable):
            await backend.transcribe(phrase_16k, "en")
        assert time.monotonic() - started < 1.5
        backend.close()


async def test_a_riva_without_asr_models_is_not_healthy():
    with RivaAsrPeer(languages=()) as tts_only:
        backend = RivaBackend(tts_only.uri)
        assert await backend.health() is False
        backend.close()
