"""WholeSamples: chunks cut mid-sample come out as whole 16-bit samples, in order."""

from hotelvoice.tts.whole_samples import WholeSamples


def test_an_odd_byte_waits_for_its_partner() -> None:
    samples = WholeSamples()

    out = [samples.feed(b"abc"), samples.feed(b"d"), samples.feed(b"e"), samples.feed(b"fgh")]

    assert out == [b"ab", b"cd", b"", b"efgh"]
    assert samples.total == 8
    assert not samples.dangling


def test_a_stream_ending_mid_sample_is_reported() -> None:
    samples = WholeSamples()
    samples.feed(b"abc")
    assert samples.dangling
