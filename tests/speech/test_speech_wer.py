import pytest

from hotelvoice.speech.wer import corpus_word_error_rate, word_edit_distance, word_error_rate


def test_identical_and_case_insensitive() -> None:
    assert word_error_rate("Thank you goodbye", "thank  you goodbye") == 0.0


@pytest.mark.parametrize(
    ("ref", "hyp", "expected"),
    [
        ("my name is anna smith", "my name is emma smith", 1 / 5),  # substitution
        ("my name is anna smith", "my name is smith", 1 / 5),  # deletion
        ("thank you", "thank you goodbye", 1 / 2),  # insertion
        ("yes", "", 1.0),
        ("yes", "no thank you", 3.0),  # insertions can push WER above 1
        ("", "", 0.0),
        ("", "hello", 1.0),
    ],
)
def test_word_error_rate(ref: str, hyp: str, expected: float) -> None:
    assert word_error_rate(ref, hyp) == pytest.approx(expected)


def test_edit_distance() -> None:
    assert word_edit_distance(["a", "b", "c", "d"], ["a", "x", "c"]) == 2


def test_corpus_wer_weights_by_reference_length() -> None:
    pairs = [
        (
            "one two three four five six seven eight nine",
            "one two three four five six seven eight nine",
        ),
        ("yes", "no"),
    ]
    assert corpus_word_error_rate(pairs) == pytest.approx(1 / 10)
    assert corpus_word_error_rate([]) == 0.0
