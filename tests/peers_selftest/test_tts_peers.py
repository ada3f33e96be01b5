"""The TTS peers answer the official SDKs with real, recognisable speech at the asked rate."""

from __future__ import annotations

import azure.cognitiveservices.speech as speechsdk
import pytest
from elevenlabs.client import ElevenLabs
from peers.azure_speech_peer import AzureSpeechPeer
from peers.elevenlabs_peer import ElevenLabsPeer

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer
from hotelvoice.speech.wer import word_error_rate

SENTENCE = "i would like to book a room for two nights"


@pytest.fixture(scope="module")
def recognizer() -> HotelSpeechRecognizer:
    return HotelSpeechRecognizer()


def _heard(recognizer: HotelSpeechRecognizer, audio: bytes, rate: int) -> str:
    return recognizer.transcribe(Pcm(audio, rate).resample(16000)).text


def test_elevenlabs_peer_speaks_telephone_audio(recognizer: HotelSpeechRecognizer) -> None:
    with ElevenLabsPeer(api_key="k") as peer:
        client = ElevenLabs(base_url=peer.base_url, api_key="k")
        audio = b"".join(
            client.text_to_speech.convert(
                "21m00Tcm4TlvDq8ikWAM", text=SENTENCE, output_format="pcm_8000"
            )
        )

    assert word_error_rate(SENTENCE, _heard(recognizer, audio, 8000)) <= 0.2
    assert peer.requests[0].path == "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM"


def test_azure_peer_speaks_telephone_audio(recognizer: HotelSpeechRecognizer) -> None:
    with AzureSpeechPeer(key="k") as peer:
        config = speechsdk.SpeechConfig(host=peer.host, subscription="k")
        config.set_speech_synthesis_output_format(
            speechsdk.SpeechSynthesisOutputFormat.Raw8Khz16BitMonoPcm
        )
        synthesizer = speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)
        result = synthesizer.speak_ssml_async(
            '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
            f'<voice name="en-US-GuyNeural">{SENTENCE}</voice></speak>'
        ).get()

    assert result.reason == speechsdk.ResultReason.SynthesizingAudioCompleted
    assert word_error_rate(SENTENCE, _heard(recognizer, result.audio_data, 8000)) <= 0.2
    assert [f.split("Path:")[1].split("\r\n")[0] for f in peer.frames[:3]] == [
        "speech.config",
        "synthesis.context",
        "ssml",
    ]
