"""The TTS API through the local control plane: the template's function, bucket and index.

Local mode has no vendor keys (the template's key secrets hold "unset"), so the chain is
espeak alone; the vendor fallback is tested with the vendors' peers in tests/tts/.
"""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.speech.audio import Pcm


def _headers(plane, role: Role = Role.SERVICE, hotels: list[str] | None = None) -> dict:
    token = plane.token(role, hotels or ["*"], subject=f"tts-{uuid.uuid4().hex[:6]}")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def _speak(plane, body: dict, headers: dict | None = None):
    return plane.api.request("POST", "/v1/tts", headers or _headers(plane), json.dumps(body))


def _cached_objects(plane) -> int:
    bucket = plane.resources.refs["TtsCacheBucket"]
    return aws.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount", 0)


def test_a_prompt_is_spoken_then_served_from_the_cache(plane) -> None:
    fresh = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])  # letters only
    text = f"Breakfast is served until half past ten in the {fresh} room."
    body = {"text": text, "locale": "en-GB", "hotel_id": DEMO_HOTEL_ID}

    first = _speak(plane, body)
    second = _speak(plane, body)

    assert first.status == 200, first.body
    assert first.headers["content-type"] == "audio/wav"
    assert first.headers["x-tts-engine"] == "espeak"
    assert (first.headers["x-tts-cache"], second.headers["x-tts-cache"]) == ("stored", "hit")
    audio = Pcm.from_wav_bytes(first.body)
    assert audio.sample_rate == 16000
    assert 1.0 < audio.duration_s < 15.0
    assert second.body == first.body


def test_narrowband_audio_for_pstn_calls(plane) -> None:
    response = _speak(plane, {"text": "One moment, please.", "locale": "de", "format": "pcm_8000"})

    assert response.status == 200, response.body
    assert Pcm.from_wav_bytes(response.body).sample_rate == 8000


def test_a_link_to_the_cached_audio(plane) -> None:
    text = "Our spa is open every day from nine in the morning."
    wav = _speak(plane, {"text": text, "locale": "en-GB"})
    link = _speak(plane, {"text": text, "locale": "en-GB", "delivery": "url"})

    assert link.status == 200, link.body
    answer = link.json()
    assert answer["cache"] == "hit"
    assert answer["expires_in_s"] == 300
    with urllib.request.urlopen(answer["url"], timeout=5) as fetched:
        raw = fetched.read()
    assert raw == Pcm.from_wav_bytes(wav.body).samples


def test_text_naming_a_guest_is_spoken_but_never_cached(plane) -> None:
    before = _cached_objects(plane)
    personal = {"text": "Welcome back, Mr Jensen. Your room is ready.", "locale": "en-GB"}
    flagged = {"text": "Your room is ready.", "locale": "en-GB", "personal": True}

    spoken = _speak(plane, personal)
    told = _speak(plane, flagged)
    as_link = _speak(plane, {**personal, "delivery": "url"})

    assert spoken.status == 200
    assert spoken.headers["x-tts-cache"] == "skip"
    assert told.status == 200
    assert told.headers["x-tts-cache"] == "skip"
    assert as_link.status == 400
    assert as_link.json()["error"]["code"] == "not_cacheable"
    assert _cached_objects(plane) == before


@pytest.mark.parametrize(
    "body",
    [
        {"text": "", "locale": "en"},
        {"text": "Hello.", "locale": "english"},
        {"text": "Hello.", "locale": "en", "format": "mp3_44100"},
        {"text": "x" * 601, "locale": "en"},
        {"text": "Hello.", "locale": "en", "personal": "yes"},
        {"text": "Hello.", "locale": "en", "voice": "someone"},
    ],
)
def test_bad_requests_get_the_one_error_body(plane, body: dict) -> None:
    response = _speak(plane, body)

    assert response.status == 400, response.body
    assert set(response.json()["error"]) == {"code", "message", "request_id"}


def test_voices_of_the_chain(plane) -> None:
    headers = _headers(plane, Role.STAFF, [DEMO_HOTEL_ID])
    every = plane.api.request("GET", "/v1/voices", headers).json()
    german = plane.api.request("GET", "/v1/voices?locale=de", headers).json()

    assert every["engines"] == ["espeak"]
    assert every["unavailable"] == []
    assert {v["locale"].split("-")[0] for v in every["voices"]} >= {"en", "de", "fr", "es", "it"}
    assert german["voices"]
    assert all(v["locale"].startswith("de") for v in german["voices"])


def test_a_locale_no_voice_speaks_is_the_callers_mistake(plane) -> None:
    response = _speak(plane, {"text": "Hello.", "locale": "aa"})

    assert response.status == 400
    assert response.json()["error"]["code"] == "unsupported_locale"


def test_unknown_voice_filters_are_refused(plane) -> None:
    headers = _headers(plane, Role.STAFF, [DEMO_HOTEL_ID])
    response = plane.api.request("GET", "/v1/voices?gender=female", headers)

    assert response.status == 400
