"""Number words and digits -> int, as produced by typed text and by ASR."""

from __future__ import annotations

import pytest

from realtime_agent.language.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two", 2),
        ("zero", 0),
        ("twelve", 12),
        ("twenty one", 21),
        ("twenty-one", 21),
        ("Forty Two", 42),
        ("twelfth", 12),
        ("first", 1),
        ("twenty first", 21),
        ("thirtieth", 30),
        ("21st", 21),
        ("2nd", 2),
        ("3", 3),
        ("one hundred five", 105),
        ("two hundred and five", 205),
        ("two thousand twenty six", 2026),
        ("two thousand and twenty six", 2026),
        ("twenty twenty six", 2026),
        ("nineteen ninety", 1990),
        ("twenty twelve", 2012),
    ],
)
def test_parse_number_accepts_words_ordinals_and_digits(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "adults", "one zero", "twelve twenty", "two adults", "hv"])
def test_parse_number_rejects_text_that_is_not_exactly_one_number(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_keeps_spelled_digits_apart_and_marks_ordinals() -> None:
    words = ["h", "v", "one", "zero", "four", "two", "on", "the", "twelfth"]
    found = [(n.value, n.ordinal, n.start, n.end) for n in find_numbers(words)]
    assert found == [
        (1, False, 2, 3),
        (0, False, 3, 4),
        (4, False, 4, 5),
        (2, False, 5, 6),
        (12, True, 8, 9),
    ]


def test_find_numbers_does_not_merge_typed_digits_into_years() -> None:
    assert [n.value for n in find_numbers(["20", "26"])] == [20, 26]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "deux mille cent soixante et un", 2161),
        ("fr", "cent vingt", 120),
        ("fr", "mille cent", 1100),
        ("de", "zweitausendhunderteinundsechzig", 2161),
        ("de", "hundertzwanzig", 120),
        ("en", "a hundred", None),  # "a" is not a number word; the hundred alone is
        ("en", "hundred", 100),
    ],
)
def test_a_bare_hundred_starts_a_number_or_follows_a_thousand(
    language: str, text: str, expected: int | None
) -> None:
    from realtime_agent.language.text import lower_text

    assert parse_number(lower_text(text, language=language), language=language) == expected
