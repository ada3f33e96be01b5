import numpy as np
import pytest

from hotelvoice.speech.audio import Pcm


def _tone(freq_hz: float, rate: int, seconds: float = 1.0, amplitude: float = 8000.0) -> Pcm:
    t = np.arange(round(rate * seconds)) / rate
    return Pcm.from_array(amplitude * np.sin(2 * np.pi * freq_hz * t), rate)


def _peak_hz(pcm: Pcm) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.to_array().astype(np.float64)))
    return float(np.fft.rfftfreq(pcm.num_samples, 1 / pcm.sample_rate)[np.argmax(spectrum)])


def test_duration_and_validation() -> None:
    pcm = Pcm(b"\x00\x00" * 16000, 16000)
    assert pcm.num_samples == 16000
    assert pcm.duration_s == pytest.approx(1.0)
    with pytest.raises(ValueError, match="even"):
        Pcm(b"\x00", 16000)
    with pytest.raises(ValueError, match="positive"):
        Pcm(b"", 0)


def test_wav_round_trip(tmp_path) -> None:
    pcm = _tone(440, 22050, 0.25)
    assert Pcm.from_wav_bytes(pcm.to_wav_bytes()) == pcm
    path = pcm.write_wav(tmp_path / "tone.wav")
    assert Pcm.from_wav_bytes(path.read_bytes()) == pcm


def test_from_wav_mixes_stereo_to_mono() -> None:
    import io
    import wave

    left = np.full(100, 1000, dtype="<i2")
    right = np.full(100, 3000, dtype="<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(np.column_stack([left, right]).tobytes())
    pcm = Pcm.from_wav_bytes(buffer.getvalue())
    assert pcm.sample_rate == 8000
    assert set(pcm.to_array().tolist()) == {2000}


def test_from_wav_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="WAV"):
        Pcm.from_wav_bytes(b"definitely not a wav file")


@pytest.mark.parametrize(
    ("source", "target"), [(22050, 16000), (22050, 8000), (16000, 8000), (8000, 16000)]
)
def test_resample_keeps_duration_and_pitch(source: int, target: int) -> None:
    pcm = _tone(440, source)
    out = pcm.resample(target)
    assert out.sample_rate == target
    assert out.duration_s == pytest.approx(pcm.duration_s, abs=1 / target)
    assert _peak_hz(out) == pytest.approx(440, abs=2)
    # Loudness survives the anti-aliasing filter for in-band content.
    assert np.abs(out.to_array()).max() == pytest.approx(8000, rel=0.05)


def test_downsampling_suppresses_aliases() -> None:
    # A 6 kHz tone is above the 4 kHz Nyquist limit of telephony audio and
    # would alias to 2 kHz without the low-pass filter.
    out = _tone(6000, 22050).resample(8000)
    assert np.sqrt(np.mean(out.to_array().astype(np.float64) ** 2)) < 200


def test_resample_same_rate_and_empty() -> None:
    pcm = _tone(300, 16000, 0.1)
    assert pcm.resample(16000) == pcm
    assert Pcm(b"", 22050).resample(16000) == Pcm(b"", 16000)
    with pytest.raises(ValueError, match="positive"):
        pcm.resample(0)


def test_resample_tiny_input() -> None:
    pcm = Pcm.from_array(np.array([100, -100, 200] * 5), 22050)
    assert Pcm(pcm.samples[:2], 22050).resample(8000).num_samples == 1
    assert pcm.resample(8000).num_samples == round(15 * 8000 / 22050)
