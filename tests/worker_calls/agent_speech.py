"""Recognise the agent's own lines in a call recording, in any language the agent speaks.

pocketsphinx here only knows US English, yet worker calls must show that the agent *said*
a given line in German, French, Spanish or Italian too. The agent's voice in these calls is
espeak-ng, which says the same text in the same voice the same way each time (to within a
few samples). So each expected line is rendered again through the agent's own TTS path
(sentence cutting, router normalisation, voice choice, engine, 16 kHz) and compared with
what the caller heard by dynamic time warping over MFCC features. The recording went
through Opus and WebRTC, so the comparison is by spectral shape, not by samples; a wrong
line, another language, noise or silence align badly and are rejected by an absolute
distance threshold as well as by losing to the right candidate.

Only numpy is used for features and alignment, so the check runs wherever the tests run.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from hotelvoice.speech.audio import Pcm
from hotelvoice.tts.engine import AudioFormat
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.router import TtsRouter
from realtime_agent.speech.sentences import split_sentences

RATE: Final = 16_000
"""What :meth:`AgentEar.audio` returns and what the features are computed at."""

FRAME_S: Final = 0.025
HOP_S: Final = 0.010
_FRAME: Final = round(FRAME_S * RATE)
_HOP: Final = round(HOP_S * RATE)
_NFFT: Final = 512
_MELS: Final = 26
_CEPSTRA: Final = 13
_PRE_EMPHASIS: Final = 0.97
MEL_FLOOR_DB: Final = 50.0
"""Mel energies are floored this far under the utterance's loudest band: espeak's pauses are
digital zero and Opus fills them with faint noise, and without the floor the log of that
difference outweighs every spoken frame (own-line distances double, margins halve)."""

SPEECH_DB: Final = -35.0
"""A 10 ms frame is speech when its level is within this many dB of the recording's
loudest frame (and above :data:`FLOOR_RMS`), so the split does not depend on the call's
volume; Opus' decoding noise in the agent's pauses stays far below it."""
FLOOR_RMS: Final = 60.0
"""Below this RMS (int16 units, about -55 dBFS) a frame is silence whatever the peak."""
MIN_SPEECH_S: Final = 0.12
"""A loud stretch shorter than this is a click, not an utterance."""
EDGE_PAD_S: Final = 0.05
"""Kept around each spoken stretch so that soft onsets and releases stay in."""

MIN_SILENCE_S: Final = 0.6
"""Default gap that ends an utterance. espeak pauses up to 0.34 s at a comma and up to
0.44 s at a full stop inside one TTS chunk (the session's sentence tokenizer keeps a short
sentence such as "Of course." with the next one); between its lines the agent waits for the
caller, which takes a second or more."""

MAX_STRETCH: Final = 1.6
"""A recording longer or shorter than its template by more than this factor is not it:
the agent's TTS speaks at a fixed rate, so only codec edges and trimming differ."""
BAND: Final = 0.15
"""Sakoe-Chiba band around the stretched diagonal, as a share of the template's length."""
THRESHOLD: Final = 4.5
"""Largest normalised DTW distance :func:`says` accepts. Calibrated on 10 reply lines in each
of the five languages, spoken by the agent's TTS plugin and sent through Opus at 48 kHz:
the line itself scored 2.1-2.7 (3.1 with -55 dBFS noise added, unchanged at a third of the
volume), another line of the same language 6.7 or more, the same line in another language
6.8 or more, white noise 9 or more; 4.5 sits halfway on a log scale."""


@dataclass(frozen=True)
class Recognition:
    """Which candidate a recording matched best, and by how much."""

    text: str
    """The best candidate."""
    distance: float
    """Its normalised DTW distance (``inf``: nothing aligned, e.g. silence)."""
    runner_up: str | None
    """The second best candidate (None when there was only one)."""
    runner_up_distance: float
    """Its distance (``inf`` when there was none)."""

    @property
    def margin(self) -> float:
        """How much closer the best candidate was than the next: how sure the choice is."""
        return self.runner_up_distance - self.distance


def utterances(pcm: Pcm, *, min_silence_s: float = MIN_SILENCE_S) -> list[Pcm]:
    """The spoken stretches of a recording, in order, each with a little silence around it.

    Energy based: frames near the recording's own peak level are speech, so the split does
    not depend on how loud the call was. Gaps shorter than ``min_silence_s`` are bridged, so
    one line stays one utterance (see :data:`MIN_SILENCE_S`).

    Args:
        pcm: Mono audio at any rate (resampled to 16 kHz).
        min_silence_s: The shortest quiet gap that separates two utterances.

    Returns:
        One 16 kHz :class:`Pcm` per utterance; empty for silence.
    """
    samples = _samples(pcm)
    loud = _loud_frames(samples)
    if not loud.any():
        return []
    runs = _runs(loud)
    merged: list[list[int]] = [list(runs[0])]
    bridge = round(min_silence_s / HOP_S)
    for start, end in runs[1:]:
        if start - merged[-1][1] < bridge:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    pad = round(EDGE_PAD_S / HOP_S)
    shortest = round(MIN_SPEECH_S / HOP_S)
    pieces = []
    for start, end in merged:
        if end - start < shortest:
            continue
        first = max(0, (start - pad) * _HOP)
        last = min(samples.size, (end + pad) * _HOP)
        pieces.append(Pcm.from_array(samples[first:last], RATE))
    return pieces


VoiceOverrides = Mapping[str, Mapping[str, str]]
"""A hotel's ``{locale or language: {engine: voice_id}}``, as ``HotelSettings.voices``."""

_VoicesKey = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def render(text: str, language: str, *, hotel_voices: VoiceOverrides | None = None) -> Pcm:
    """What the agent's espeak voice says for ``text`` in ``language``, at 16 kHz.

    Cut into sentences as the session's ``tts.StreamAdapter`` cuts them, and each sentence
    spoken through :class:`TtsRouter` with the agent's :class:`EspeakEngine`, so the text is
    normalised and the voice chosen exactly as on a call (``tts_engines=["espeak"]``,
    ``tts_format=pcm_16000``); no cache, so nothing is shared with the test's own routers.
    espeak-ng varies a few samples from run to run, so this is a template, not a copy.

    Args:
        text: The line, as the agent hands it to the session.
        language: ``de``, ``de-DE``…, as the agent's locale.
        hotel_voices: The hotel's voice overrides, when the call's hotel has any.

    Returns:
        The rendered line (cached per arguments).
    """
    return _render(text, language, _voices_key(hotel_voices))


def recognise(
    pcm: Pcm,
    candidates: Sequence[str],
    language: str,
    *,
    hotel_voices: VoiceOverrides | None = None,
) -> Recognition:
    """The candidate line the recording sounds most like, each rendered in ``language``.

    Args:
        pcm: One utterance of the agent (see :func:`utterances`), any rate.
        candidates: The lines it may be; at least one.
        language: The language the agent spoke them in.
        hotel_voices: The hotel's voice overrides, when the call's hotel has any.

    Returns:
        The best candidate, its distance, and the runner-up's.

    Raises:
        ValueError: No candidates.
    """
    if not candidates:
        raise ValueError("recognise needs at least one candidate")
    heard = features(pcm)
    voices = _voices_key(hotel_voices)
    scored = sorted(
        ((distance(heard, _template(text, language, voices)), text) for text in candidates),
        key=lambda pair: pair[0],
    )
    best_distance, best = scored[0]
    second_distance, second = scored[1] if len(scored) > 1 else (float("inf"), None)
    return Recognition(best, best_distance, second, second_distance)


def says(
    pcm: Pcm,
    text: str,
    language: str,
    *,
    others: Sequence[str],
    threshold: float = THRESHOLD,
    hotel_voices: VoiceOverrides | None = None,
) -> bool:
    """Whether the recording is the agent saying ``text`` (and not one of ``others``).

    Args:
        pcm: One utterance of the agent (see :func:`utterances`).
        text: The line expected.
        language: The language it was spoken in.
        others: Lines it must not be mistaken for (other lines of the same dialogue).
        threshold: The largest distance accepted.
        hotel_voices: The hotel's voice overrides, when the call's hotel has any.

    Returns:
        True when ``text`` matches best among ``text`` and ``others`` and is close enough.
    """
    candidates = [text, *(other for other in others if other != text)]
    recognition = recognise(pcm, candidates, language, hotel_voices=hotel_voices)
    return recognition.text == text and recognition.distance <= threshold


def _voices_key(hotel_voices: VoiceOverrides | None) -> _VoicesKey:
    """The overrides as a hashable cache key."""
    return tuple(
        sorted(
            (place, tuple(sorted(choice.items()))) for place, choice in (hotel_voices or {}).items()
        )
    )


@functools.lru_cache(maxsize=512)
def _template(text: str, language: str, voices: _VoicesKey) -> np.ndarray:
    return features(_render(text, language, voices))


@functools.lru_cache(maxsize=512)
def _render(text: str, language: str, voices: _VoicesKey) -> Pcm:
    overrides = {place: dict(choice) for place, choice in voices}
    router = TtsRouter([EspeakEngine()], None, fmt=AudioFormat.PCM_16000)

    async def each_sentence() -> bytes:
        audio = bytearray()
        for sentence in split_sentences(text):
            synthesis = await router.synthesize(sentence, locale=language, hotel_voices=overrides)
            audio += synthesis.audio
        return bytes(audio)

    result: list[bytes] = []
    # A thread of its own: the caller may be inside a running event loop (async tests).
    thread = threading.Thread(
        target=lambda: result.append(asyncio.run(each_sentence())), name="agent-speech-render"
    )
    thread.start()
    thread.join()
    if not result:
        raise RuntimeError(f"espeak could not render {text!r} in {language!r}")
    return Pcm(result[0], RATE)


def features(pcm: Pcm) -> np.ndarray:
    """MFCCs of the spoken part of ``pcm``, mean-normalised: ``(frames, 13)``.

    Leading and trailing silence is cut first (codec and playout add different amounts of
    it); cepstral mean normalisation removes the channel's fixed colouring (Opus, gain).
    Silence gives an empty array.
    """
    samples = _samples(pcm)
    loud = _loud_frames(samples)
    if not loud.any():
        return np.zeros((0, _CEPSTRA))
    spoken = np.flatnonzero(loud)
    samples = samples[spoken[0] * _HOP : (spoken[-1] + 1) * _HOP + _FRAME]
    emphasised = np.append(samples[:1], samples[1:] - _PRE_EMPHASIS * samples[:-1])
    if emphasised.size < _FRAME:
        emphasised = np.pad(emphasised, (0, _FRAME - emphasised.size))
    count = 1 + (emphasised.size - _FRAME) // _HOP
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    frames = emphasised[index] * np.hamming(_FRAME)
    power = np.abs(np.fft.rfft(frames, _NFFT)) ** 2 / _NFFT
    mel = power @ _mel_filters().T
    energies = np.log(np.maximum(mel, mel.max() * 10 ** (-MEL_FLOOR_DB / 10) + 1e-10))
    cepstra = energies @ _dct_matrix().T
    return cepstra - cepstra.mean(axis=0)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """DTW distance between two feature sequences, normalised by the path's weight.

    Symmetric steps (a diagonal step weighs 2, a horizontal or vertical one 1), so every
    path from corner to corner weighs ``len(a) + len(b)`` and dividing by it gives the mean
    frame distance along the best path, whatever the lengths. Paths stay inside a band
    around the stretched diagonal. One numpy pass per row of ``a`` over the row's part of
    the band: arrivals from the row above first, then runs of horizontal steps as a running
    minimum over the row's cumulative cost, so ten seconds against ten seconds take a few
    hundredths of a second.

    Returns:
        ``inf`` when either is empty or their lengths differ beyond :data:`MAX_STRETCH`.
    """
    n, m = len(a), len(b)
    if n == 0 or m == 0 or max(n, m) > MAX_STRETCH * min(n, m):
        return float("inf")
    squared = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2.0 * a @ b.T
    cost = np.sqrt(np.maximum(squared, 0.0))
    double = 2.0 * cost
    # a horizontal run's cost is a difference of these; the row's offset cancels below
    runs = np.cumsum(cost, axis=1)
    width = max(BAND, 2.0 / min(n, m))
    centre = np.arange(n) / max(n - 1, 1) * (m - 1)
    first = np.clip(np.ceil(centre - width * (m - 1)), 0, m - 1).astype(int)
    last = np.clip(np.floor(centre + width * (m - 1)), 0, m - 1).astype(int) + 1
    above = np.full(m + 1, np.inf)
    above[0] = 0.0
    for i in range(n):
        lo, hi = first[i], last[i]
        arrive = np.minimum(
            above[lo + 1 : hi + 1] + cost[i, lo:hi], above[lo:hi] + double[i, lo:hi]
        )
        run = runs[i, lo:hi]
        row = np.full(m + 1, np.inf)
        row[lo + 1 : hi + 1] = run + np.minimum.accumulate(arrive - run)
        above = row
    return float(above[m] / (n + m))


def _samples(pcm: Pcm) -> np.ndarray:
    return pcm.resample(RATE).to_array().astype(np.float64)


def _loud_frames(samples: np.ndarray) -> np.ndarray:
    """One flag per 10 ms hop: is it speech?"""
    count = samples.size // _HOP
    if count == 0:
        return np.zeros(0, dtype=bool)
    rms = np.sqrt(np.mean(samples[: count * _HOP].reshape(count, _HOP) ** 2, axis=1))
    peak = float(rms.max())
    return (rms > FLOOR_RMS) & (rms > peak * 10 ** (SPEECH_DB / 20))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of True."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


@functools.cache
def _mel_filters() -> np.ndarray:
    """Triangular filters evenly spaced on the mel scale, 0 Hz to Nyquist."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def hz(mels: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (mels / 2595.0) - 1.0)

    points = hz(np.linspace(0.0, mel(np.array(RATE / 2)), _MELS + 2))
    bins = np.fft.rfftfreq(_NFFT, 1 / RATE)
    lower, centre, upper = points[:-2, None], points[1:-1, None], points[2:, None]
    rising = (bins - lower) / (centre - lower)
    falling = (upper - bins) / (upper - centre)
    return np.maximum(0.0, np.minimum(rising, falling))


@functools.cache
def _dct_matrix() -> np.ndarray:
    """DCT-II rows 0.._CEPSTRA-1 over the mel bands (orthonormal)."""
    k = np.arange(_CEPSTRA)[:, None]
    n = np.arange(_MELS)[None, :]
    matrix = np.cos(np.pi * k * (2 * n + 1) / (2 * _MELS)) * np.sqrt(2.0 / _MELS)
    matrix[0] /= np.sqrt(2.0)
    return matrix
