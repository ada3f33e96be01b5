"""A tiny, dependency-light PCM container shared by the local speech engines.

The TTS engine produces 22.05 kHz audio, the recogniser wants 16 kHz and the
phone network delivers 8 kHz. Passing raw ``bytes`` around with a separate
sample-rate argument is how such pipelines silently end up playing audio at the
wrong speed, so every hop in the speech plane exchanges a :class:`Pcm` value
that carries its own rate.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from math import gcd
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first conversion: the TTS function's cold start
    import numpy as np  # and a WAV passed through untouched need none of it

SAMPLE_WIDTH_BYTES = 2
"""Bytes per sample: the whole speech plane uses 16-bit signed little-endian PCM."""

_INT16_MIN = -32768
_INT16_MAX = 32767
_FIR_HALF_TAPS = 32


@dataclass(frozen=True, slots=True)
class Pcm:
    """Mono 16-bit signed little-endian PCM audio with its sample rate.

    The value is immutable so that it can be cached and shared between threads
    (e.g. a synthesised greeting reused for every call) without copies.

    Attributes:
        samples: Raw little-endian ``int16`` samples, one channel.
        sample_rate: Samples per second, e.g. 8000, 16000 or 22050.
    """

    samples: bytes
    sample_rate: int

    def __post_init__(self) -> None:
        """Reject values that would make every downstream consumer misbehave.

        Raises:
            ValueError: If the rate is not positive or the byte count is odd.
        """
        if self.sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {self.sample_rate}")
        if len(self.samples) % SAMPLE_WIDTH_BYTES:
            raise ValueError("samples must hold whole 16-bit frames (even byte count)")

    @property
    def num_samples(self) -> int:
        """Number of audio frames held."""
        return len(self.samples) // SAMPLE_WIDTH_BYTES

    @property
    def duration_s(self) -> float:
        """Length of the audio in seconds."""
        return self.num_samples / self.sample_rate

    @classmethod
    def from_array(cls, array: np.ndarray, sample_rate: int) -> Pcm:
        """Build a value from a numpy array, clipping to the int16 range.

        Floating-point input is treated as already scaled to int16 units (not
        -1..1), which is what the resampler produces.

        Args:
            array: One-dimensional samples of any numeric dtype.
            sample_rate: Rate of ``array`` in Hz.

        Returns:
            The equivalent :class:`Pcm`.
        """
        import numpy as np

        if np.issubdtype(array.dtype, np.floating):
            array = np.rint(array)
        clipped = np.clip(array, _INT16_MIN, _INT16_MAX).astype("<i2")
        return cls(clipped.tobytes(), sample_rate)

    def to_array(self) -> np.ndarray:
        """Return the samples as a (read-only view) ``int16`` numpy array."""
        import numpy as np

        return np.frombuffer(self.samples, dtype="<i2")

    def resample(self, rate: int) -> Pcm:
        """Convert to another sample rate with linear interpolation.

        Linear interpolation is enough for speech between 8 and 22.05 kHz; when
        downsampling, a windowed-sinc low-pass runs first so that energy above
        the new Nyquist frequency does not alias, without pulling in scipy.

        Args:
            rate: Target sample rate in Hz.

        Returns:
            A new :class:`Pcm` at ``rate`` (``self`` if the rate is unchanged).

        Raises:
            ValueError: If ``rate`` is not positive.
        """
        import numpy as np

        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if rate == self.sample_rate or self.num_samples == 0:
            return Pcm(self.samples, rate)
        source = self.to_array().astype(np.float64)
        if rate < self.sample_rate:
            source = _anti_alias(source, self.sample_rate / rate)
        n_out = max(1, round(self.num_samples * rate / self.sample_rate))
        # Position of each output sample on the input time axis; keep it exact
        # for rational ratios so that round trips do not drift.
        g = gcd(rate, self.sample_rate)
        positions = np.arange(n_out, dtype=np.float64) * (self.sample_rate // g) / (rate // g)
        out = np.interp(positions, np.arange(self.num_samples, dtype=np.float64), source)
        return Pcm.from_array(out, rate)

    def to_wav_bytes(self) -> bytes:
        """Encode as a RIFF/WAVE file in memory (for HTTP bodies and S3 objects)."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(SAMPLE_WIDTH_BYTES)
            wav.setframerate(self.sample_rate)
            wav.writeframes(self.samples)
        return buffer.getvalue()

    @classmethod
    def from_wav_bytes(cls, data: bytes) -> Pcm:
        """Decode a 16-bit PCM WAV file, mixing multi-channel audio down to mono.

        Args:
            data: The complete WAV file contents.

        Returns:
            The decoded audio.

        Raises:
            ValueError: If the file is not 16-bit PCM WAV.
        """
        import numpy as np

        try:
            with wave.open(io.BytesIO(data), "rb") as wav:
                channels = wav.getnchannels()
                width = wav.getsampwidth()
                rate = wav.getframerate()
                frames = wav.readframes(wav.getnframes())
        except (wave.Error, EOFError) as exc:
            raise ValueError(f"not a PCM WAV file: {exc}") from exc
        if width != SAMPLE_WIDTH_BYTES:
            raise ValueError(f"only 16-bit WAV is supported, got {8 * width}-bit")
        if channels == 1:
            return cls(frames, rate)
        stereo = np.frombuffer(frames, dtype="<i2").reshape(-1, channels)
        return cls.from_array(stereo.astype(np.float64).mean(axis=1), rate)

    def write_wav(self, path: str | Path) -> Path:
        """Write the audio to ``path`` as a WAV file (handy for debugging calls).

        Args:
            path: Destination file; parent directories must exist.

        Returns:
            The path written, as a :class:`~pathlib.Path`.
        """
        target = Path(path)
        target.write_bytes(self.to_wav_bytes())
        return target


def _anti_alias(signal: np.ndarray, ratio: float) -> np.ndarray:
    """Low-pass ``signal`` below the Nyquist frequency of the downsampled output.

    A Hamming-windowed sinc FIR is a few lines of numpy and removes the aliasing
    that otherwise turns fricatives ("s", "f") into noise at 8 kHz.

    Args:
        signal: Samples to filter.
        ratio: Downsampling factor (input rate / output rate), > 1.

    Returns:
        The filtered samples, same length as ``signal``.
    """
    import numpy as np

    cutoff = 0.45 / ratio  # cycles per input sample, a little under the new Nyquist
    half = _FIR_HALF_TAPS
    taps = np.arange(-half, half + 1, dtype=np.float64)
    kernel = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.hamming(2 * half + 1)
    kernel /= kernel.sum()
    # "full" then slice: unlike mode="same", this keeps the input length even
    # when the signal is shorter than the kernel.
    return np.convolve(signal, kernel, mode="full")[half : half + signal.size]
