"""Confirmation codes of every PMS's shape, typed or read out on the phone.

Three shapes reach the receptionist (``hotelvoice.contracts.pms.CONFIRMATION_CODE``):

* letters then digits, as the demo PMS issues them: "HV-1042", "hv 1042",
  "h v one zero four two" (2-3 letters, then 3-8 letters/digits);
* an Apaleo reservation id, a booking id with a numeric suffix: "XPGMSXGF-1", read out
  "X P G M S X G F dash one" / "Strich eins" / "tiret un" / "guion uno" / "trattino uno";
* digits only, as Mews ("52") and OPERA ("813595") number bookings; only where the
  dialogue asked for the code or the caller named it (``code_digits``).

Outside a context that asks for a code, only shapes that cannot be ordinary words are
accepted (letters glued to digits, or single spelled letters followed by digits), so
"in 2026" never becomes ``IN2026`` and "covid-19" never a booking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from realtime_agent.language.vocabulary import Vocabulary

from .code_digits import code_words, digits_only_code, named_at
from .numbers import find_numbers
from .text import lower_text, plain_words
from .vocabularies import DEFAULT_LANGUAGE, vocabulary

_MIN_LETTERS, _MAX_LETTERS = 2, 3
_MIN_TAIL, _MAX_TAIL = 3, 8
# Letters glued (or hyphenated) to a tail that starts with a digit: "hv1042", "HV-1042".
_GLUED = re.compile(r"\b([a-z]{2,3})-?(\d[a-z0-9]{2,7})\b")
# Letters, a space, then digits: "hv 1042". Only trusted when a code is expected.
_SPACED = re.compile(r"\b([a-z]{2,3})\s+(\d{3,8})\b")
# An Apaleo reservation id as typed: a booking id with at least one letter, a hyphen and a
# 1-3 digit suffix. Upper case ("XPGMSXGF-1") anywhere; any case where a code is expected.
_TYPED_SUFFIXED = r"\b(?=[A-Za-z0-9]*[A-Za-z])([A-Za-z0-9]{6,24})\s?-\s?(\d{1,3})\b"
_SUFFIXED_ANY_CASE = re.compile(_TYPED_SUFFIXED)
_SUFFIXED_UPPER = re.compile(_TYPED_SUFFIXED.replace("A-Za-z", "A-Z"))
_MIN_ID, _MAX_ID = 4, 24
"""Characters of a spelled booking id before its suffix (Apaleo's have eight)."""
_MAX_SUFFIX = 3


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


def _spelled_suffixed(
    words: list[str], vocab: Vocabulary, suffix: frozenset[str], *, lenient: bool
) -> str | None:
    """An id read out with its suffix: "x p g m s x g f dash one" -> "XPGMSXGF-1".

    The characters right before the word for the hyphen are the booking id (spelled
    letters and digits, a leading filler word dropped); the 1-3 digits right after it are
    the suffix. Spelling-alphabet names ("x-ray papa") count only where ``lenient``.
    """
    for k, word in enumerate(words):
        if word not in suffix or k == 0:
            continue
        run = _tail_of_code(_symbols(words[:k], vocab, lenient=lenient))
        while len(run) > 1 and run[0].word in vocab.code_fillers:
            run = run[1:]
        booking = "".join(s.text for s in run)
        after = _symbols(words[k + 1 :], vocab, lenient=lenient)
        digits = ""
        for symbol in after:
            if symbol is None or symbol.kind != "d":
                break
            digits += symbol.text
        has_letter = any(s.kind == "l" for s in run)
        if _MIN_ID <= len(booking) <= _MAX_ID and has_letter and 1 <= len(digits) <= _MAX_SUFFIX:
            return f"{booking.upper()}-{digits}"
    return None


def _tail_of_code(symbols: list[_Symbol | None]) -> list[_Symbol]:
    """The trailing run of letter and digit symbols: the characters of a spelled id."""
    run: list[_Symbol] = []
    for symbol in reversed(symbols):
        if symbol is None:
            break
        run.insert(0, symbol)
    return run


def _typed_suffixed(text: str, *, lenient: bool) -> str | None:
    """A typed Apaleo id ("XPGMSXGF-1"); lower case only where a code is expected."""
    pattern = _SUFFIXED_ANY_CASE if lenient else _SUFFIXED_UPPER
    match = pattern.search(text)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else None


def parse_confirmation_code(
    text: str, *, expecting: bool = False, language: str = DEFAULT_LANGUAGE
) -> str | None:
    """Extract a confirmation code as the PMS writes it.

    Upper case, without separators, except the hyphen before an Apaleo id's suffix.

    Args:
        text: Typed or ASR text.
        expecting: True when the policy just asked for the code. Enables the looser
            "hv 1042" and "hotel victor ..." forms, and digits alone. Words like "code" or
            "confirmation" in the text enable the looser forms too; a phrase that names
            the code ("my booking number is ...", catalog ``codes.json``)
            also enables digits alone.
        language: Language of the text.

    Returns:
        E.g. "HV1042", "XPGMSXGF-1" or "813595"; None if no code-shaped text is present.
    """
    vocab = vocabulary(language)
    cues = code_words(vocab.language)
    lowered = lower_text(text, language=language)
    words = _letters_as_in(plain_words(text, language=language), vocab)
    named = named_at(words, cues.names)
    lenient = expecting or named is not None or any(w in vocab.code_cues for w in words)
    if (suffixed := _typed_suffixed(text, lenient=lenient)) is not None:
        return suffixed
    patterns = (_GLUED, _SPACED) if lenient else (_GLUED,)
    for pattern in patterns:
        for match in pattern.finditer(lowered):
            if not _is_word(match.group(1), vocab):
                return (match.group(1) + match.group(2)).upper()
    spelled = _spelled_suffixed(words, vocab, cues.suffix, lenient=lenient)
    if spelled is not None:
        return spelled
    symbols = _symbols(words, vocab, lenient=lenient)
    if (code := _spelled_code(symbols, vocab.code_fillers)) is not None:
        return code
    if expecting or named is not None:
        return digits_only_code(words, text, vocab, after=named)
    return None
