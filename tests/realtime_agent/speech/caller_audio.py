"""What a caller sounds like to the agent: espeak-ng speech cut into LiveKit frames."""

from __future__ import annotations

import numpy as np
from livekit import rtc

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.espeak_tts import EspeakSynthesizer


def speak(text: str, *, voice: str = "en-us") -> Pcm:
    """What a caller says, synthesised at espeak-ng's 22,050 Hz."""
    return EspeakSynthesizer().synthesize(text, voice=voice, rate_wpm=150)


def as_frames(pcm: Pcm, *, frame_ms: int = 20, num_channels: int = 1) -> list[rtc.AudioFrame]:
    """Cut audio into LiveKit frames as a room track delivers them (copying mono to stereo)."""
    samples = pcm.to_array()
    per_frame = pcm.sample_rate * frame_ms // 1000
    frames = []
    for start in range(0, samples.size, per_frame):
        chunk = samples[start : start + per_frame]
        interleaved = np.repeat(chunk, num_channels)
        frames.append(
            rtc.AudioFrame(
                data=interleaved.tobytes(),
                sample_rate=pcm.sample_rate,
                num_channels=num_channels,
                samples_per_channel=chunk.size,
            )
        )
    return frames


def silence(seconds: float, sample_rate: int) -> Pcm:
    return Pcm(b"\x00\x00" * round(seconds * sample_rate), sample_rate)
