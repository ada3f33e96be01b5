"""The ASR proxy's offline route on the local backend, through the shared app factory."""

from __future__ import annotations

import base64
import struct

import pytest
from fastapi.testclient import TestClient

from gpu_asr.app import app
from hotelvoice.auth import Role, mint_token

PHRASE = "do you have a room from december twelfth to december fifteenth for two adults"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def auth(plane) -> dict[str, str]:
    return {"authorization": f"Bearer {mint_token('realtime-agent', Role.SERVICE, ['*'])}"}


def test_wav_in_text_and_word_timings_out(client, auth, phrase_16k):
    response = client.post(
        "/v1/transcribe",
        content=phrase_16k.to_wav_bytes(),
        headers={**auth, "content-type": "audio/wav"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] == PHRASE
    assert body["words"][0]["word"] == "do"
    assert body["words"][-1]["end_s"] <= body["audio_s"] + 0.05
    assert body["backend"] == "local-pocketsphinx"


def test_base64_pcm_at_telephone_rate(client, auth, phrase_16k):
    pcm = phrase_16k.resample(8000)
    response = client.post(
        "/v1/transcribe?sample_rate=8000",
        content=base64.b64encode(pcm.samples),
        headers={**auth, "content-type": "text/plain"},
    )
    assert response.status_code == 200, response.text
    heard = response.json()
    assert heard["audio_s"] == pytest.approx(pcm.duration_s, abs=0.001)  # read as 8 kHz
    # pocketsphinx at 8 kHz mixes up the dates and counts (WER 0.2-0.65 over repeated runs of
    # the same phrase, depending on espeak's audio and what the decoder heard before), but
    # the request itself must be heard: an empty, 16 kHz-misread or off-grammar decode fails.
    assert heard["text"].startswith("do you have a room from")


def _wav_at(rate: int) -> bytes:
    """A one-sample 16-bit mono WAV whose header claims ``rate``."""
    header = struct.pack("<HHIIHH", 1, 1, rate, rate * 2 % 2**32, 2, 16)
    data = b"\x00\x00"
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + header + b"data" + struct.pack("<I", 2)
    return b"RIFF" + struct.pack("<I", len(body) + len(data)) + body + data


@pytest.mark.parametrize(
    ("content", "content_type", "query", "code"),
    [
        (b"RIFFnonsense", "audio/wav", "", "bad_audio"),
        (b"%%%", "text/plain", "?sample_rate=8000", "bad_audio"),
        (base64.b64encode(b"\x00\x00"), "text/plain", "?sample_rate=44100", "bad_audio"),
        (b"{}", "application/json", "", "bad_audio"),
        (_wav_at(0xFFFFFFFF), "audio/wav", "", "bad_audio"),  # Riva's int32 field overflowed
        (_wav_at(100), "audio/wav", "", "bad_audio"),
        (base64.b64encode(b""), "text/plain", "?sample_rate=8000", "empty_audio"),
    ],
)
def test_bad_audio_is_a_clear_400(client, auth, content, content_type, query, code):
    response = client.post(
        f"/v1/transcribe{query}", content=content, headers={**auth, "content-type": content_type}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_needs_a_service_token_but_health_is_open(client):
    assert client.post("/v1/transcribe", content=b"x").status_code == 401
    assert client.get("/health").json() == {"status": "ok", "backend": "local-pocketsphinx"}


def test_a_chunked_body_over_the_limit_is_a_413(client, auth):
    # No Content-Length to refuse up front: the limit must hold while the body streams in
    # (uvicorn hands a chunked body to the app as it comes).
    def chunks():
        for _ in range(100):  # 6.4 MB against the proxy's 4 MiB
            yield b"\x00" * 64_000

    response = client.post(
        "/v1/transcribe?sample_rate=16000",
        content=chunks(),
        headers={**auth, "content-type": "text/plain"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_chunked_body_within_the_limit_reaches_the_route(client, auth):
    def chunks():
        yield b"not base64 %%%"

    response = client.post(
        "/v1/transcribe?sample_rate=16000",
        content=chunks(),
        headers={**auth, "content-type": "text/plain"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_audio"
