from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from hotelvoice.speech.espeak_tts import ESPEAK_SAMPLE_RATE, EspeakError, EspeakSynthesizer

GREETINGS = {
    "en-us": "Good evening, thank you for calling. How can I help you?",
    "de": "Guten Abend, vielen Dank für Ihren Anruf. Wie kann ich helfen?",
    "fr": "Bonsoir, merci de votre appel. Comment puis-je vous aider?",
    "es": "Buenas noches, gracias por su llamada. ¿En qué puedo ayudarle?",
    "it": "Buonasera, grazie per la chiamata. Come posso aiutarla?",
}


@pytest.fixture(scope="module")
def tts() -> EspeakSynthesizer:
    return EspeakSynthesizer()


@pytest.mark.parametrize("voice", sorted(GREETINGS))
def test_each_language_speaks(tts: EspeakSynthesizer, voice: str) -> None:
    pcm = tts.synthesize(GREETINGS[voice], voice=voice)
    samples = pcm.to_array().astype(np.float64)
    assert pcm.sample_rate == ESPEAK_SAMPLE_RATE
    # ~10 words at 150 wpm is about four seconds of speech.
    assert 2.0 < pcm.duration_s < 8.0
    assert np.sqrt(np.mean(samples**2)) > 500  # clearly not silence
    assert np.abs(samples).max() > 5000


def test_voices_differ(tts: EspeakSynthesizer) -> None:
    text = "hotel"
    assert tts.synthesize(text, voice="en-us").samples != tts.synthesize(text, voice="fr").samples


def test_rate_changes_duration(tts: EspeakSynthesizer) -> None:
    text = GREETINGS["en-us"]
    slow = tts.synthesize(text, rate_wpm=110).duration_s
    fast = tts.synthesize(text, rate_wpm=260).duration_s
    assert fast < 0.7 * slow


def test_blank_text_gives_empty_audio(tts: EspeakSynthesizer) -> None:
    assert tts.synthesize("   ").num_samples == 0


def test_unknown_voice_raises(tts: EspeakSynthesizer) -> None:
    with pytest.raises(EspeakError, match="voice"):
        tts.synthesize("hello", voice="xx-notalanguage")


def test_concurrent_calls_are_serialised(tts: EspeakSynthesizer) -> None:
    # libespeak-ng keeps global state; without the lock, concurrent calls mix
    # voices and audio chunks or crash. espeak-ng is not bit-exact between calls
    # (its wave generator carries phase over), so compare durations.
    jobs = [("Room two one four.", "en-us"), ("Zimmer zwei eins vier.", "de")] * 4
    expected = {voice: tts.synthesize(text, voice=voice).duration_s for text, voice in jobs[:2]}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: (job[1], tts.synthesize(job[0], voice=job[1])), jobs))
    for voice, pcm in results:
        assert pcm.duration_s == pytest.approx(expected[voice], rel=0.02)
