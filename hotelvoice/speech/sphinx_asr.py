"""Offline, grammar-constrained speech recognition with pocketsphinx 5.

Why pocketsphinx: the wheel bundles a US-English acoustic model and CMUdict, so
local mode and CI can turn caller audio into text with no GPU, network or model
download. Its free-form (n-gram) recognition of phone or synthetic speech is
poor (~0.8 WER), but callers to a hotel say a small set of things, so decoding
against ``hotel_grammar.jsgf`` brings the word error rate close to zero.

Pre-processing matters as much as the grammar: espeak-ng and digital call legs
produce exact-zero samples and empty spectral bands, which the MFCC front end
turns into extreme log energies that wreck cepstral mean normalisation. We pad
the utterance with silence and mix in a faint, deterministic noise floor
(30 dB below the speech) so that every band carries some energy, as it would in
the recordings the model was trained on.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from pathlib import Path
from typing import Final

import numpy as np
import pocketsphinx

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.transcript import EMPTY_TRANSCRIPT, Transcript, Word

__all__ = [
    "ASR_SAMPLE_RATE",
    "EMPTY_TRANSCRIPT",
    "EXTRA_DICT_PATH",
    "GRAMMAR_PATH",
    "HotelSpeechRecognizer",
    "Transcript",
    "Word",
    "grammar_vocabulary",
    "read_extra_dictionary",
]

logger = logging.getLogger(__name__)

ASR_SAMPLE_RATE: Final = 16000
"""Rate the bundled acoustic model was trained on; input is resampled to it."""

GRAMMAR_PATH: Final = Path(__file__).with_name("hotel_grammar.jsgf")
EXTRA_DICT_PATH: Final = Path(__file__).with_name("hotel_extra.dict")

_SEARCH_NAME: Final = "hotel"
_PAD_S: Final = 0.3  # silence around the utterance so the model sees a clean start/end
_NOISE_FLOOR_DB: Final = 30.0  # dither level below the speech RMS
_NOISE_SEED: Final = 1234  # fixed so that the same audio always gives the same text
_LIVE_NOISE_STD: Final = 30.0  # live pieces: the utterance's level is not known yet
_NBEST: Final = 30  # alternatives searched when the best path is not a full sentence
# Tuned on synthetic hotel calls: a lower word insertion penalty and language
# weight than the defaults stop the grammar from padding utterances with short
# words, and topn=8 scores more Gaussians for a more accurate acoustic match.
# bestpath=False skips the lattice rescoring pass, which took ~3x the decoding
# time on this grammar without improving accuracy.
_DECODER_OPTIONS: Final = {"wip": 0.01, "lw": 3.0, "topn": 8, "bestpath": False}

_ALT_SUFFIX = re.compile(r"\(\d+\)$")
_JSGF_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_JSGF_HEADER = re.compile(r"#JSGF[^;]*;|grammar\s+[\w.]+\s*;|\bpublic\b")
_JSGF_RULE = re.compile(r"<[^>]*>")
_JSGF_TOKEN = re.compile(r"[a-z][a-z'\-]*")


def grammar_vocabulary(grammar_text: str) -> frozenset[str]:
    """Return the words a JSGF grammar can produce.

    Used to check, when the decoder is built, that every word has a
    pronunciation: pocketsphinx would otherwise drop the word (and every
    sentence through it) with only a log message.

    Args:
        grammar_text: JSGF source text.

    Returns:
        The set of terminal words (rule names, keywords and comments removed).
    """
    body = _JSGF_COMMENT.sub(" ", grammar_text)
    body = _JSGF_HEADER.sub(" ", body)
    body = _JSGF_RULE.sub(" ", body)
    return frozenset(_JSGF_TOKEN.findall(body.lower()))


def read_extra_dictionary(path: Path) -> list[tuple[str, str]]:
    """Parse a small pronunciation file of ``word PHONE PHONE ...`` lines.

    Args:
        path: Dictionary file; blank lines and ``#`` comments are ignored.

    Returns:
        ``(word, phones)`` pairs in file order.

    Raises:
        ValueError: If a line has a word but no phones.
    """
    entries: list[tuple[str, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, phones = line.partition(" ")
        if not phones.strip():
            raise ValueError(f"{path}:{number}: no pronunciation for {word!r}")
        entries.append((word.lower(), " ".join(phones.split())))
    return entries


class HotelSpeechRecognizer:
    """Recognises what hotel callers say, constrained by the hotel grammar.

    Building the decoder loads the acoustic model and the 130k-word dictionary
    (~0.3 s), so create one recognizer per process and share it; decoding is
    serialised with a lock because a pocketsphinx decoder is not re-entrant.
    """

    def __init__(
        self, *, grammar_path: Path = GRAMMAR_PATH, extra_dict_path: Path | None = EXTRA_DICT_PATH
    ) -> None:
        """Build the decoder.

        Args:
            grammar_path: JSGF grammar whose public rule defines what can be said.
            extra_dict_path: Additional pronunciations, or ``None`` for none.

        Raises:
            ValueError: If a grammar word has no pronunciation or the grammar is invalid.
        """
        self._lock = threading.RLock()
        decoder = pocketsphinx.Decoder(
            hmm=pocketsphinx.get_model_path("en-us/en-us"),
            dict=pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"),
            lm=None,
            samprate=ASR_SAMPLE_RATE,
            loglevel="FATAL",
            **_DECODER_OPTIONS,
        )
        if extra_dict_path is not None:
            self._add_words(decoder, read_extra_dictionary(extra_dict_path))
        grammar_text = grammar_path.read_text(encoding="utf-8")
        missing = sorted(w for w in grammar_vocabulary(grammar_text) if not decoder.lookup_word(w))
        if missing:
            raise ValueError(f"grammar words without a pronunciation: {', '.join(missing)}")
        # Added after the words so that the search network includes their variants.
        decoder.add_jsgf_string(_SEARCH_NAME, grammar_text)
        decoder.activate_search(_SEARCH_NAME)
        self._decoder = decoder
        self._fsg = decoder.get_fsg(_SEARCH_NAME)
        self._frame_rate = int(decoder.config["frate"])
        self._live = False

    @staticmethod
    def _add_words(decoder: pocketsphinx.Decoder, entries: list[tuple[str, str]]) -> None:
        """Add pronunciations that the bundled dictionary does not already have."""
        new = [(word, phones) for word, phones in entries if decoder.lookup_word(word) is None]
        for index, (word, phones) in enumerate(new):
            decoder.add_word(word, phones, index == len(new) - 1)

    def accepts(self, text: str) -> bool:
        """Tell whether the grammar can produce ``text`` (lowercase, space-separated).

        Args:
            text: Candidate sentence, e.g. a scripted caller line in a test.

        Returns:
            ``True`` if the text is a complete sentence of the grammar.
        """
        if not text:
            return False
        with self._lock:
            return bool(self._fsg.accept(text))

    def transcribe(self, pcm: Pcm) -> Transcript:
        """Recognise one utterance.

        Args:
            pcm: The caller's audio at any sample rate (8 kHz telephony works,
                with somewhat lower accuracy than wideband audio).

        Returns:
            The transcript; :data:`EMPTY_TRANSCRIPT` for silence or when decoding
            fails, so that a bad frame of audio never ends a call.
        """
        samples = _prepare(pcm)
        if samples is None:
            return EMPTY_TRANSCRIPT
        with self._lock:
            try:
                return self._decode(samples)
            except (RuntimeError, ValueError):
                logger.warning(
                    "pocketsphinx failed to decode %.2f s of audio", pcm.duration_s, exc_info=True
                )
                self._recover()
                return EMPTY_TRANSCRIPT

    def begin_live(self) -> None:
        """Start an utterance that arrives piece by piece, for a live stream's partials.

        The live decoder's running cepstral mean has seen only the audio so far, so what it
        hears is a preview; a stream's final comes from :meth:`transcribe` of the whole
        utterance, which is what keeps it as accurate as an offline request.
        """
        with self._lock:
            self._recover()
            self._decoder.reinit_feat()  # see _decode
            self._decoder.start_utt()
            self._live = True

    def hear_live(self, pcm: Pcm) -> str:
        """Decode the next piece of the live utterance.

        Args:
            pcm: The piece, at any sample rate.

        Returns:
            The best path so far (lowercase words), not completed to a grammar sentence, so
            it never runs ahead of what was heard; ``""`` before any word or after a failure.
        """
        samples = _dithered(pcm.resample(ASR_SAMPLE_RATE).to_array().astype(np.float64))
        with self._lock:
            if not self._live:
                return ""
            try:
                self._decoder.process_raw(samples, full_utt=False)
                hyp = self._decoder.hyp()
            except (RuntimeError, ValueError):
                logger.warning("pocketsphinx failed on a live utterance", exc_info=True)
                self.end_live()
                return ""
        return _normalise(hyp.hypstr) if hyp is not None else ""

    def finish_live(self) -> Transcript:
        """End the live utterance and return what the live decoder heard, with timings.

        The fallback for a stream's final when the whole-utterance decode finds no sentence:
        a preview beats losing what the caller said.
        """
        with self._lock:
            if not self._live:
                return EMPTY_TRANSCRIPT
            self._live = False
            try:
                self._decoder.end_utt()
                hyp = self._decoder.hyp()
                words = self._words() if hyp is not None else ()
            except (RuntimeError, ValueError, TypeError):
                logger.warning("pocketsphinx failed to end a live utterance", exc_info=True)
                self._recover()
                return EMPTY_TRANSCRIPT
        if hyp is None or not hyp.hypstr.strip():
            return EMPTY_TRANSCRIPT
        return Transcript(_normalise(hyp.hypstr), None, words)

    def end_live(self) -> None:
        """Drop the live utterance (its result is not used)."""
        with self._lock:
            if self._live:
                self._live = False
                self._recover()

    def _recover(self) -> None:
        """Close a half-finished utterance so that the next call can start one."""
        with contextlib.suppress(RuntimeError, ValueError, KeyError):
            self._decoder.end_utt()
        with contextlib.suppress(RuntimeError, ValueError, KeyError):
            self._decoder.activate_search(_SEARCH_NAME)

    def _decode(self, samples: bytes) -> Transcript:
        """Decode prepared 16 kHz audio; the caller holds the lock."""
        decoder = self._decoder
        # pocketsphinx carries its cepstral mean over from one utterance to the next, whoever
        # spoke it (a pooled decoder serves many calls), and the text of the same audio then
        # depends on what came before; set_cmn() alone does not undo that, reinit_feat() does.
        decoder.reinit_feat()
        decoder.start_utt()
        decoder.process_raw(samples, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None or not hyp.hypstr.strip():
            return EMPTY_TRANSCRIPT
        text = _normalise(hyp.hypstr)
        if self.accepts(text):
            return Transcript(text, None, self._words())
        # When the audio ends inside a sentence pocketsphinx returns the best
        # partial path; a complete sentence from the n-best list is a better answer.
        for index, alternative in enumerate(decoder.nbest()):
            if index >= _NBEST:
                break
            candidate = _normalise(alternative.hypstr)
            if self.accepts(candidate):
                return Transcript(candidate, None, self._align(samples, candidate))
        return Transcript(text, None, self._words())

    def _align(self, samples: bytes, text: str) -> tuple[Word, ...]:
        """Word timings for an n-best alternative, by forced alignment."""
        decoder = self._decoder
        try:
            decoder.set_align_text(text)
            decoder.reinit_feat()  # the same features as the decode that found the text
            decoder.start_utt()
            decoder.process_raw(samples, full_utt=True)
            decoder.end_utt()
            return self._words() if decoder.hyp() is not None else ()
        finally:
            decoder.activate_search(_SEARCH_NAME)

    def _words(self) -> tuple[Word, ...]:
        """Convert the decoder's segmentation to :class:`Word` values."""
        words: list[Word] = []
        for segment in self._decoder.seg():
            name = segment.word
            if not name or name[0] in "<[(":  # <s>, <sil>, [NOISE], (NULL)
                continue
            start = max(segment.start_frame / self._frame_rate - _PAD_S, 0.0)
            end = max((segment.end_frame + 1) / self._frame_rate - _PAD_S, start)
            words.append(Word(_ALT_SUFFIX.sub("", name).lower(), round(start, 3), round(end, 3)))
        return tuple(words)


def _normalise(text: str) -> str:
    """Lowercase, drop pronunciation-variant markers and collapse whitespace."""
    return " ".join(_ALT_SUFFIX.sub("", word).lower() for word in text.split())


def _prepare(pcm: Pcm) -> bytes | None:
    """Resample to 16 kHz, pad with silence and add the noise floor.

    Args:
        pcm: Input audio.

    Returns:
        Raw 16-bit samples ready for the decoder, or ``None`` if the input is
        empty or digitally silent (nothing to recognise).
    """
    audio = pcm.resample(ASR_SAMPLE_RATE).to_array().astype(np.float64)
    if audio.size == 0:
        return None
    rms = float(np.sqrt(np.mean(audio**2)))
    if rms < 1.0:
        return None
    pad = np.zeros(round(_PAD_S * ASR_SAMPLE_RATE))
    padded = np.concatenate([pad, audio, pad])
    return _dithered(padded, rms * 10 ** (-_NOISE_FLOOR_DB / 20))


def _dithered(audio: np.ndarray, noise_std: float = _LIVE_NOISE_STD) -> bytes:
    """16 kHz samples with the noise floor mixed in, as the decoder wants them."""
    rng = np.random.default_rng(_NOISE_SEED)
    return Pcm.from_array(audio + rng.normal(0.0, noise_std, audio.size), ASR_SAMPLE_RATE).samples
