"""Guest names: "my last name is Smith", "the name is Anna Smith", "Smith, S M I T H".

A wrong surname sends the reservation lookup astray, so this parser would
rather return nothing than a guess: a name needs a cue phrase, a bare answer to
"what is your last name?", or a matching spelling. Common words are never
names ("it's tomorrow", "the name is on the booking").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from realtime_agent.language.vocabulary import Vocabulary

from .numbers import find_numbers
from .text import lower_text
from .vocabularies import DEFAULT_LANGUAGE, vocabulary

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_HARD_BREAK = re.compile(r"[,.;:!?()\d]")
_GLUED_DIGIT = re.compile(r"-?\d")
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Name:
    """A guest name; None means "not said".

    Attributes:
        first: Given name, e.g. "Anna".
        last: Surname, e.g. "Smith" or "Van Dijk".
    """

    first: str | None = None
    last: str | None = None


@dataclass(frozen=True)
class _Word:
    """A word with its original spelling and whether punctuation precedes it."""

    lower: str
    original: str
    break_before: bool
    in_code: bool = False
    """Glued to digits ("HV" of "HV2161"): part of a code, never a name."""


def _words(text: str, language: str) -> list[_Word]:
    """Tokenise keeping original casing; contractions become separate words."""
    out: list[_Word] = []
    last_end = 0
    for match in _WORD.finditer(text.replace("\u2019", "'")):
        gap = text[last_end : match.start()]
        last_end = match.end()
        pieces = lower_text(match.group(0), language=language).split()
        in_code = _GLUED_DIGIT.match(text, match.end()) is not None or (
            match.start() > 0 and text[match.start() - 1].isdigit()
        )
        for n, piece in enumerate(pieces):
            original = match.group(0) if len(pieces) == 1 else piece
            break_before = n == 0 and bool(_HARD_BREAK.search(gap))
            out.append(_Word(piece, original, break_before, in_code))
    return out


def _name_like(word: _Word, vocab: Vocabulary) -> bool:
    """Could this word be (part of) a name?"""
    return (
        len(word.lower) >= 2
        and not word.in_code
        and word.lower not in vocab.stopwords
        and word.lower not in vocab.markers
        and not find_numbers([word.lower], language=vocab.language)
    )


def _name_follows(words: list[_Word], j: int, vocab: Vocabulary) -> bool:
    """A name word follows at ``j``, possibly after more particles ("de la Cruz")."""
    while j < len(words) and words[j].lower in vocab.name_particles:
        if _name_like(words[j], vocab):
            return True
        j += 1
    return j < len(words) and _name_like(words[j], vocab)


def _read_name(words: list[_Word], start: int, vocab: Vocabulary) -> tuple[list[_Word], int]:
    """Read up to four name words from ``start``; returns (words, end index)."""
    name: list[_Word] = []
    j = start
    while j < len(words) and len(name) < _MAX_NAME_WORDS:
        word = words[j]
        if name and word.break_before:
            break
        is_particle = word.lower in vocab.name_particles
        if not (is_particle and _name_follows(words, j + 1, vocab)) and not _name_like(word, vocab):
            break
        name.append(word)
        j += 1
    while name and name[-1].lower in vocab.name_particles:
        name.pop()
        j -= 1
    return name, j


def _spelled(
    words: list[_Word], start: int, marks: tuple[tuple[tuple[str, ...], str], ...]
) -> tuple[str | None, int]:
    """Letters spelled one by one from ``start`` ("s m i t h"), if at least two.

    A letter's accent said after it ("e accent grave") goes onto it (``marks``).
    """
    letters: list[str] = []
    j = start
    while j < len(words) and len(words[j].lower) == 1 and words[j].lower.isalpha():
        letters.append(words[j].lower)
        j += 1
        for said, mark in marks:
            if tuple(w.lower for w in words[j : j + len(said)]) == said:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + mark)
                j += len(said)
                break
    return ("".join(letters) if len(letters) >= 2 else None), j


def _cased(word: _Word) -> str:
    """Keep deliberate casing ("McDonald"); otherwise capitalise each part."""
    text = word.original
    if text != text.lower() and text != text.upper():
        return text
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), text.lower())


def _join(words: list[_Word]) -> str | None:
    """Name words as one properly cased string."""
    return " ".join(_cased(w) for w in words) or None


def _split_full(name: list[_Word], vocab: Vocabulary, *, single_is_first: bool) -> Name:
    """Split "anna smith" into first/last; "van dijk" stays one surname."""
    if len(name) == 1:
        return Name(first=_join(name)) if single_is_first else Name(last=_join(name))
    if name[0].lower in vocab.name_particles:
        return Name(last=_join(name))
    return Name(first=_join(name[:1]), last=_join(name[1:]))


def _with_spelling(
    found: Name, words: list[_Word], end: int, vocab: Vocabulary, *, first: bool = False
) -> Name:
    """Let a following spelling ("S M I T H") decide the letters of the name.

    The spelling replaces the surname, or the first name when ``first`` is set
    (after "my first name is"). A letter run followed by a number is a
    confirmation code being spelled, not a name.
    """
    spelled, after = _spelled(words, end, vocab.letter_marks)
    if spelled is None or (
        after < len(words) and find_numbers([words[after].lower], language=vocab.language)
    ):
        return found
    if first:
        return Name(first=spelled.capitalize(), last=found.last)
    return Name(first=found.first, last=spelled.capitalize())


def _ends_here(words: list[_Word], end: int, vocab: Vocabulary) -> bool:
    """True if only fillers or a spelling follow ``end`` (for weak cues)."""
    rest = words[_spelled(words, end, vocab.letter_marks)[1] :]
    return all(w.lower in vocab.name_fillers for w in rest)


def _cue_at(words: list[_Word], i: int, vocab: Vocabulary) -> tuple[str, int] | None:
    """Longest cue phrase starting at word ``i`` as (kind, length)."""
    best: tuple[str, int] | None = None
    for kind, phrases in vocab.name_cues.items():
        for phrase in phrases:
            parts = phrase.split()
            if [w.lower for w in words[i : i + len(parts)]] == parts and (
                best is None or len(parts) > best[1]
            ):
                best = (kind, len(parts))
    return best


def _from_cues(words: list[_Word], vocab: Vocabulary) -> Name:
    """Collect names introduced by cue phrases anywhere in the utterance."""
    first: str | None = None
    last: str | None = None
    resume = 0  # a cue inside an already used cue ("first [name is] anna") is ignored
    for i in range(len(words)):
        cue = _cue_at(words, i, vocab) if i >= resume else None
        if cue is None:
            continue
        kind, size = cue
        at_start = all(w.lower in vocab.name_fillers for w in words[:i])
        if kind in ("intro", "opening") and not at_start:
            continue
        name, end = _read_name(words, i + size, vocab)
        if kind in ("weak", "opening") and not _ends_here(words, end, vocab):
            continue
        if kind == "last":
            found = Name(last=_join(name))
        elif kind == "first":
            found = Name(first=_join(name))
        else:
            found = _split_full(name, vocab, single_is_first=kind == "intro") if name else Name()
        if kind != "intro":
            found = _with_spelling(found, words, end, vocab, first=kind == "first")
        if found.first or found.last:
            resume = end
        first, last = first or found.first, last or found.last
    return Name(first, last)


def parse_name(
    text: str, *, expecting_last_name: bool = False, language: str = DEFAULT_LANGUAGE
) -> Name:
    """Extract the caller's first and last name.

    Args:
        text: Typed or ASR text.
        expecting_last_name: True when the policy just asked for the surname,
            so a bare "Smith" (or "s m i t h", or "Anna Smith") is accepted.
        language: Language of the text.

    Returns:
        The name parts found; both None when no name was given.
    """
    vocab = vocabulary(language)
    words = _words(text, language)
    found = _from_cues(words, vocab)
    if found.last or found.first:
        return found
    start = 0
    while start < len(words) and words[start].lower in vocab.name_fillers:
        if words[start].lower in vocab.name_particles and _name_follows(words, start + 1, vocab):
            break  # "de la Fontaine": the particles belong to the name
        start += 1
    name, end = _read_name(words, start, vocab)
    if expecting_last_name:
        bare = _split_full(name, vocab, single_is_first=False) if name else Name()
        return _with_spelling(bare, words, end, vocab)
    # Without a cue, only a word confirmed by its own spelling counts: "Smith, S M I T H".
    spelled = _spelled(words, end, vocab.letter_marks)[0]
    if len(name) == 1 and spelled and lower_text(spelled, language=vocab.language) == name[0].lower:
        return Name(last=_join(name))
    return Name()
