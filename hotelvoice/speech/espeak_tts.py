"""Offline text-to-speech through libespeak-ng from the ``espeakng-loader`` wheel.

Why espeak-ng: it is a self-contained wheel (shared library plus voice data, no
apt package, no network, no GPU), starts in milliseconds and speaks the five
languages our hotels serve. It sounds robotic, so production calls use a neural
voice; this engine backs local mode, tests and the fallback path.

libespeak-ng keeps all synthesis state in process-wide globals and is not
thread-safe, so a single module-level lock serialises every call and the library
is initialised lazily, once per process.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Final

import espeakng_loader

from hotelvoice.speech.audio import Pcm

ESPEAK_SAMPLE_RATE: Final = 22050
"""Native output rate of espeak-ng voices (returned by ``espeak_Initialize``)."""

SUPPORTED_VOICES: Final = ("en-us", "en", "de", "fr", "es", "it")
"""Voices we rely on; any other espeak-ng voice name also works."""

MIN_RATE_WPM: Final = 80
MAX_RATE_WPM: Final = 450

# Constants from espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS: Final = 2  # synthesise in the calling thread, deliver via callback
_INITIALIZE_DONT_EXIT: Final = 0x8000  # return an error instead of calling exit()
_ESPEAK_RATE: Final = 1  # espeak_PARAMETER.espeakRATE (words per minute)
_POS_CHARACTER: Final = 1  # espeak_POSITION_TYPE.POS_CHARACTER
_CHARS_UTF8: Final = 1  # espeakCHARS_UTF8 flag for espeak_Synth
_EE_OK: Final = 0

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class EspeakError(RuntimeError):
    """Raised when libespeak-ng cannot be loaded or rejects a request."""


class _Engine:
    """Process-wide libespeak-ng handle; only ever touched with ``_LOCK`` held."""

    def __init__(self) -> None:
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
        except OSError as exc:
            raise EspeakError(f"cannot load libespeak-ng: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,  # text
            ctypes.c_size_t,  # size in bytes, including the terminator
            ctypes.c_uint,  # position
            ctypes.c_int,  # position_type
            ctypes.c_uint,  # end_position
            ctypes.c_uint,  # flags
            ctypes.c_void_p,  # unique_identifier (out, unused)
            ctypes.c_void_p,  # user_data
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = []
        lib.espeak_Synchronize.restype = ctypes.c_int

        data_path = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise EspeakError(f"espeak_Initialize failed (data path {data_path!r})")
        self.sample_rate: int = rate
        self._lib = lib
        self._chunks: list[bytes] = []
        # Keep a reference: ctypes frees the trampoline when the object dies,
        # and libespeak-ng would then call into freed memory.
        self._callback = _SynthCallback(self._on_audio)
        lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(self, wav: ctypes._Pointer, num_samples: int, _events: int | None) -> int:
        """Collect one chunk of synthesised audio; returning 0 continues synthesis."""
        if wav and num_samples > 0:
            self._chunks.append(ctypes.string_at(wav, num_samples * 2))
        return 0

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> bytes:
        """Run one synthesis; the caller holds ``_LOCK``."""
        if self._lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            raise EspeakError(f"unknown espeak-ng voice {voice!r}")
        self._lib.espeak_SetParameter(_ESPEAK_RATE, rate_wpm, 0)
        encoded = text.encode("utf-8") + b"\0"
        buffer = ctypes.create_string_buffer(encoded, len(encoded))
        self._chunks = []
        status = self._lib.espeak_Synth(
            buffer, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != _EE_OK:
            raise EspeakError(f"espeak_Synth failed with status {status}")
        self._lib.espeak_Synchronize()
        chunks, self._chunks = self._chunks, []
        return b"".join(chunks)


_LOCK = threading.Lock()
_engine: _Engine | None = None


def _get_engine() -> _Engine:
    """Initialise libespeak-ng on first use; the caller holds ``_LOCK``."""
    global _engine  # noqa: PLW0603 - one native engine per process by design
    if _engine is None:
        _engine = _Engine()
    return _engine


class EspeakSynthesizer:
    """Text-to-speech front end; cheap to create, safe to share between threads.

    Instances hold no native state (the library is a process singleton), so
    agents may create one per call without cost.
    """

    def synthesize(self, text: str, *, voice: str = "en-us", rate_wpm: int = 150) -> Pcm:
        """Speak ``text`` and return the audio at espeak-ng's native 22.05 kHz.

        Args:
            text: Plain UTF-8 text (no SSML). Blank text yields empty audio.
            voice: espeak-ng voice name, e.g. ``"en-us"``, ``"de"``, ``"fr"``,
                ``"es"`` or ``"it"``.
            rate_wpm: Speaking rate in words per minute, clamped to 80-450.

        Returns:
            Mono 16-bit PCM audio.

        Raises:
            EspeakError: If the library cannot be initialised, the voice is
                unknown or synthesis fails.
        """
        rate = min(max(rate_wpm, MIN_RATE_WPM), MAX_RATE_WPM)
        with _LOCK:
            engine = _get_engine()
            if not text.strip():
                return Pcm(b"", engine.sample_rate)
            samples = engine.synthesize(text, voice, rate)
            return Pcm(samples, engine.sample_rate)
