"""Confirmation codes: typed ("HV-1042", "hv 1042") or spelled ("h v one zero four two").

Codes are 2-3 letters followed by 3-8 letters/digits (our demo PMS issues
``HV`` + four digits). Outside a context that asks for a code, only shapes that
cannot be ordinary words are accepted (letters glued to digits, or single
spelled letters followed by digits), so "in 2026" never becomes ``IN2026``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import DEFAULT_LANGUAGE, vocabulary
from .numbers import find_numbers
from .text import lower_text, plain_words
from .vocab import Vocabulary

_MIN_LETTERS, _MAX_LETTERS = 2, 3
_MIN_TAIL, _MAX_TAIL = 3, 8
# Letters glued (or hyphenated) to a tail that starts with a digit: "hv1042", "HV-1042".
_GLUED = re.compile(r"\b([a-z]{2,3})-?(\d[a-z0-9]{2,7})\b")
# Letters, a space, then digits: "hv 1042". Only trusted when a code is expected.
_SPACED = re.compile(r"\b([a-z]{2,3})\s+(\d{3,8})\b")


@dataclass(frozen=True)
class _Symbol:
    """One spelled unit: letters ("l") or digits ("d"), and the word it came from."""

    kind: str
    text: str
    word: str = ""


def _symbols(words: list[str], vocab: Vocabulary, *, lenient: bool) -> list[_Symbol | None]:
    """Turn words into letter/digit symbols; None separates candidate codes.

    Spoken letter names ("vee", "victor") and short words as a prefix ("hv")
    are only used when ``lenient``: outside a code context "see", "hotel" or
    "pay" (in "pay 100") are just words.
    """
    numbers = {n.start: n for n in find_numbers(words, language=vocab.language)}
    out: list[_Symbol | None] = []
    i = 0
    while i < len(words):
        word, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
        letters_so_far = sum(len(s.text) for s in _tail(out, "l"))
        if word in vocab.code_repeat and nxt:
            times = vocab.code_repeat[word]
            inner = _symbols([nxt], vocab, lenient=lenient)[0]
            if inner is not None and nxt in ("u", "you") and inner.kind == "l":
                out.append(_Symbol("l", "w"))
            elif inner is not None:
                out.append(_Symbol(inner.kind, inner.text * times))
            i += 2
            continue
        if word.isdigit():
            out.append(_Symbol("d", word))
        elif word in vocab.code_digits and (word != "o" or letters_so_far >= _MIN_LETTERS):
            out.append(_Symbol("d", vocab.code_digits[word]))
        elif i in numbers and not numbers[i].ordinal:
            out.append(_Symbol("d", str(numbers[i].value)))
            i = numbers[i].end
            continue
        elif len(word) == 1 and word.isalpha():
            out.append(_Symbol("l", word, word))
        elif lenient and word in vocab.letter_names:
            out.append(_Symbol("l", vocab.letter_names[word]))
        elif (
            lenient
            and _MIN_LETTERS <= len(word) <= _MAX_LETTERS
            and word.isalpha()
            and not _is_word(word, vocab)
        ):
            out.append(_Symbol("l", word))
        else:
            out.append(None)
        i += 1
    return out


def _letters_as_in(words: list[str], vocab: Vocabulary) -> list[str]:
    """Keep only the letter of "h wie heinrich", "v comme victor", "h as in hotel".

    The word after the cue must start with the letter (or be its spelling-alphabet
    name), so "h wie viel" keeps all three words.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        out.append(word)
        letter = word if len(word) == 1 and word.isalpha() else vocab.letter_names.get(word)
        for cue in vocab.letter_as_in if letter else ():
            parts = cue.split()
            after = i + 1 + len(parts)
            example = words[after] if after < len(words) else ""
            if words[i + 1 : after] == parts and (
                example.startswith(letter) or vocab.letter_names.get(example) == letter
            ):
                i = after
                break
        i += 1
    return out


def _is_word(letters: str, vocab: Vocabulary) -> bool:
    """True if ``letters`` is a known word ("in", "dec"), so not a code prefix."""
    return letters in vocab.stopwords or letters in vocab.markers


def _tail(symbols: list[_Symbol | None], kind: str) -> list[_Symbol]:
    """Trailing run of symbols of ``kind`` at the end of ``symbols``."""
    run: list[_Symbol] = []
    for symbol in reversed(symbols):
        if symbol is None or symbol.kind != kind:
            break
        run.insert(0, symbol)
    return run


def _spelled_code(symbols: list[_Symbol | None], fillers: frozenset[str]) -> str | None:
    """First letters-then-digits run with a plausible length.

    A leading filler word ("è" in "è h v uno ...") is dropped while enough letters
    remain. When more than three letters precede the digits (a spelled name right
    before the code), only the last two are kept: the demo PMS prefix length.
    """
    for i, symbol in enumerate(symbols):
        if not _is_digit(symbol) or (i and _is_digit(symbols[i - 1])):
            continue
        run: list[str] = []
        for later in symbols[i:]:
            if later is None or later.kind != "d":
                break
            run.append(later.text)
        digits = "".join(run)
        run_of_letters = _tail(symbols[:i], "l")
        while (
            len(run_of_letters) > _MIN_LETTERS
            and run_of_letters[0].word in fillers
            and len("".join(s.text for s in run_of_letters[1:])) >= _MIN_LETTERS
        ):
            run_of_letters = run_of_letters[1:]
        letters = "".join(s.text for s in run_of_letters)
        if len(letters) > _MAX_LETTERS:
            letters = letters[-_MIN_LETTERS:]
        if len(letters) >= _MIN_LETTERS and _MIN_TAIL <= len(digits) <= _MAX_TAIL:
            return (letters + digits).upper()
    return None


def _is_digit(symbol: _Symbol | None) -> bool:
    """True for a digit symbol."""
    return symbol is not None and symbol.kind == "d"


def parse_confirmation_code(
    text: str, *, expecting: bool = False, language: str = DEFAULT_LANGUAGE
) -> str | None:
    """Extract a confirmation code, normalised to upper case without separators.

    Args:
        text: Typed or ASR text.
        expecting: True when the policy just asked for the code; also implied
            by words like "code" or "confirmation" in the text. Enables the
            looser "hv 1042" and "hotel victor ..." forms.
        language: Language of the text.

    Returns:
        E.g. "HV1042", or None if no code-shaped text is present.
    """
    vocab = vocabulary(language)
    lowered = lower_text(text, language=language)
    words = _letters_as_in(plain_words(text, language=language), vocab)
    lenient = expecting or any(w in vocab.code_cues for w in words)
    patterns = (_GLUED, _SPACED) if lenient else (_GLUED,)
    for pattern in patterns:
        for match in pattern.finditer(lowered):
            if not _is_word(match.group(1), vocab):
                return (match.group(1) + match.group(2)).upper()
    return _spelled_code(_symbols(words, vocab, lenient=lenient), vocab.code_fillers)
