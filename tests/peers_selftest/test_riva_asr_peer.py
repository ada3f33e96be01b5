"""The Riva peer answers the official client's streaming call as Riva does."""

from __future__ import annotations

import grpc
import pytest
import riva.client
from peers.riva_asr_peer import RivaAsrPeer

from hotelvoice.speech.audio import Pcm

RATE = 16000


def _chunks(seconds: float, chunk_s: float = 0.1):
    silence = Pcm(b"\x01\x00" * int(seconds * RATE), RATE).samples
    step = int(chunk_s * RATE) * 2
    return [silence[i : i + step] for i in range(0, len(silence), step)]


def _streaming_config(language: str = "en-US") -> riva.client.StreamingRecognitionConfig:
    return riva.client.StreamingRecognitionConfig(
        config=riva.client.RecognitionConfig(
            encoding=riva.client.AudioEncoding.LINEAR_PCM,
            sample_rate_hertz=RATE,
            language_code=language,
            enable_word_time_offsets=True,
        ),
        interim_results=True,
    )


def test_streaming_gives_partials_then_a_final_with_word_timings():
    with RivaAsrPeer() as peer:
        peer.say("a room for two adults")
        asr = riva.client.ASRService(riva.client.Auth(uri=peer.uri, use_ssl=False))

        results = [
            result
            for response in asr.streaming_response_generator(_chunks(2.0), _streaming_config())
            for result in response.results
        ]

    *partials, final = results
    assert partials
    assert not any(p.is_final for p in partials)
    heard = [len(p.alternatives[0].words) for p in partials]
    assert heard[0] == 1  # one word per 0.3 s, the first partial at 0.5 s
    assert heard == sorted(heard)
    assert final.is_final
    assert final.alternatives[0].transcript.strip() == "a room for two adults"
    words = final.alternatives[0].words
    assert [w.word for w in words] == ["a", "room", "for", "two", "adults"]
    assert words[-1].end_time == 2000  # int milliseconds
    assert final.audio_processed == pytest.approx(2.0)
    assert peer.requests[0].method == "StreamingRecognize"


def test_streaming_refuses_a_language_it_has_no_model_for():
    with RivaAsrPeer() as peer:
        asr = riva.client.ASRService(riva.client.Auth(uri=peer.uri, use_ssl=False))
        with pytest.raises(grpc.RpcError) as failure:
            list(asr.streaming_response_generator(_chunks(0.2), _streaming_config("fr-FR")))
    assert failure.value.code() == grpc.StatusCode.INVALID_ARGUMENT
