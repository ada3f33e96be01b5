"""The template recogniser knows the agent's lines after WebRTC, and nothing else.

The audio under test is what the agent's session produces: the line cut into sentences by
LiveKit's ``tts.StreamAdapter``, each spoken by :class:`RoutedTTS` over an espeak-only
router, then Opus-coded at 48 kHz and decoded and resampled to 16 kHz as the caller's side
of a call hears it. Lines come from the reply catalogs, so every language is tested with
its own receptionist sentences.
"""

from __future__ import annotations

import fractions

import numpy as np
import pytest
from agent_speech import THRESHOLD, recognise, render, says, utterances
from aiortc.codecs.opus import OpusDecoder, OpusEncoder
from aiortc.jitterbuffer import JitterFrame
from av import AudioFrame
from livekit.agents import tts

from hotelvoice.speech.audio import Pcm
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.router import TtsRouter
from realtime_agent.language import SUPPORTED_LANGUAGES, catalog
from realtime_agent.speech.routed_tts import RoutedTTS

LINE_KEYS = (
    "ask_arrival",
    "ask_adults",
    "ask_code",
    "ask_last_name",
    "transfer_notice",
    "how_can_i_help",
    "what_else",
)
"""Whole replies without placeholders; several have a pause inside ("Of course. On which
date…"), and the last two are short and alike, the hardest pair to tell apart."""

OPUS_RATE = 48_000
OPUS_FRAME = 960
"""20 ms at 48 kHz, what WebRTC sends per packet."""


def lines(language: str) -> list[str]:
    replies = catalog(language, "replies")
    return [replies[key] for key in LINE_KEYS]


def through_opus(pcm: Pcm) -> Pcm:
    """Encode as the agent's track is sent, decode as the caller receives it, back at 16 kHz."""
    samples = pcm.resample(OPUS_RATE).to_array()
    # a trailing silent packet or two flushes the encoder's look-ahead
    samples = np.pad(samples, (0, (-samples.size) % OPUS_FRAME + 2 * OPUS_FRAME))
    encoder, decoder = OpusEncoder(), OpusDecoder()
    decoded: list[np.ndarray] = []
    for start in range(0, samples.size, OPUS_FRAME):
        frame = AudioFrame.from_ndarray(
            samples[start : start + OPUS_FRAME].reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = OPUS_RATE
        frame.pts = start
        frame.time_base = fractions.Fraction(1, OPUS_RATE)
        payloads, timestamp = encoder.encode(frame)
        for payload in payloads:
            for out in decoder.decode(JitterFrame(data=payload, timestamp=timestamp)):
                decoded.append(out.to_ndarray().reshape(-1, 2)[:, 0])  # stereo, interleaved
    return Pcm.from_array(np.concatenate(decoded), OPUS_RATE).resample(16_000)


async def agent_says(text: str, language: str) -> Pcm:
    """The agent's session speaking ``text`` (sentence cutting, plugin, router, espeak)."""
    plugin = RoutedTTS(TtsRouter([EspeakEngine()], None), language=language)
    stream = tts.StreamAdapter(tts=plugin).stream()
    stream.push_text(text)
    stream.end_input()
    audio = bytearray()
    async for event in stream:
        audio += bytes(event.frame.data)
    await stream.aclose()
    assert audio, f"the agent said nothing for {text!r}"
    return Pcm(bytes(audio), plugin.sample_rate)


_HEARD: dict[tuple[str, str], Pcm] = {}


async def heard(text: str, language: str) -> Pcm:
    """What the caller hears of the agent saying ``text``: once per line for all tests."""
    if (text, language) not in _HEARD:
        _HEARD[text, language] = through_opus(await agent_says(text, language))
    return _HEARD[text, language]


def silence(seconds: float) -> Pcm:
    return Pcm(bytes(2 * round(seconds * 16_000)), 16_000)


def joined(*parts: Pcm) -> Pcm:
    return Pcm(b"".join(part.resample(16_000).samples for part in parts), 16_000)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_each_line_is_recognised_as_itself_among_the_others(language: str) -> None:
    candidates = lines(language)
    for line in candidates:
        recognition = recognise(await heard(line, language), candidates, language)
        assert recognition.text == line, (line, recognition)
        assert recognition.distance <= THRESHOLD, recognition
        assert recognition.runner_up_distance > THRESHOLD, recognition


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_the_same_line_in_another_language_is_not_it(language: str) -> None:
    candidates = lines(language)
    assert says(await heard(candidates[0], language), candidates[0], language, others=candidates)
    others = [other for other in SUPPORTED_LANGUAGES if other != language]
    for key, line, other in zip(LINE_KEYS, candidates, others, strict=False):
        spoken = await heard(catalog(other, "replies")[key], other)
        assert not says(spoken, line, language, others=candidates), (other, line)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_white_noise_as_long_as_the_line_is_not_it(language: str) -> None:
    rng = np.random.default_rng(7)
    candidates = lines(language)
    for line in candidates[:3]:
        length = render(line, language).num_samples
        noise = through_opus(Pcm.from_array(rng.normal(0.0, 3000.0, length), 16_000))
        assert not says(noise, line, language, others=candidates), line


def test_silence_is_no_line_and_no_utterance() -> None:
    candidates = lines("en")
    quiet = through_opus(silence(2.0))
    assert utterances(quiet) == []
    for line in candidates:
        assert not says(quiet, line, "en", others=candidates)
    assert recognise(quiet, candidates, "en").distance == float("inf")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_a_line_with_pauses_inside_stays_one_utterance(language: str) -> None:
    for line in lines(language):
        padded = joined(silence(0.5), await heard(line, language), silence(0.5))
        assert len(utterances(padded)) == 1, line


async def test_three_lines_with_pauses_between_are_three_utterances() -> None:
    spoken = [("de", "ask_arrival"), ("it", "ask_code"), ("fr", "transfer_notice")]
    audio = [await agent_says(catalog(lang, "replies")[key], lang) for lang, key in spoken]
    # one Opus stream for the whole recording, as on a call
    recording = through_opus(
        joined(silence(0.5), audio[0], silence(1.0), audio[1], silence(1.0), audio[2])
    )
    pieces = utterances(recording)
    assert len(pieces) == 3
    for piece, (language, key) in zip(pieces, spoken, strict=True):
        assert says(piece, catalog(language, "replies")[key], language, others=lines(language))


async def test_a_shorter_silence_threshold_splits_a_line_at_its_full_stop() -> None:
    """The default gap is what keeps "Of course. On which date…" whole."""
    line = catalog("en", "replies")["ask_arrival"]
    assert len(utterances(await heard(line, "en"))) == 1
    assert len(utterances(await heard(line, "en"), min_silence_s=0.2)) == 2
