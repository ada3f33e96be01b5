"""Names spelled on the phone, found in what speech-to-text wrote (used by redaction).

Callers also spell their names, and a speech-to-text engine writes what they spell as single
letters ("S M I T H", "D-O-E dash S-M-I-T-H", "M, Ü, L, L, E, R"), spelling-alphabet words
("Delta Oscar Echo", "Martha, Ulrich, Ludwig") or "X as in Y" ("s as in sugar", "M wie
Martha", "D comme Denis", "D de Dedo", "D come Domodossola"). The words of every language
live in ``spelled_names.json``; the rule that tells a spelled name from ordinary words is:

* A run is spelling units with only separators between them (spaces, commas, dots, hyphens,
  "dash"-like words): single letters, spelling-alphabet words (NATO in every language, and
  the national alphabets), "X as in Y". A run is a name with 3 or more units; with 2 right
  after a spelling cue ("spelled", "that's", "buchstabiert", "ça s'écrit", "se escribe", "si
  scrive", or a self-introduction with or without the name), when bare hyphens join them
  ("D-O", not "a -k"), or when one is an "X as in Y".
* The one-letter words of our languages (a, à, e, è, i, o, u, y) are weak: they count only
  in a run with a consonant spelled alone or "as in" ("il y a à", "I like Italy a lot" and
  "a golf hotel" are sentences); one in the other case than the spelled letters splits the
  run ("y a D U P O N T", "A a B"); one at an edge set off by another separator than the
  run's is left out ("S M I T H, I have a booking").
* A national alphabet's words are also cities and first names: without a single letter
  among them they need 4 in a row, or a cue ("Milano, Roma e Napoli" is a trip).
* Not names: a run right after a word it labels ("room A, B or C"), 3 or more letters in
  alphabetical order ("A, B, C"), abbreviations ("U.S.A.", "e.g.", "S.p.A.").
* A run with digits is a confirmation code, not a name: when its digits (figures or number
  words) from the first to the last stand for 3 to 8 characters, they, up to 3 letters before
  them (the last 2 when more precede: a name spelled right before the code) and up to 2
  after are kept ("H V 1 0 4 2", "h v one zero four two", "è H V quattordici quindici").
  Other numbers (2 nights, an amount, "12th", "6pm") only end the run, as dates do.

Not caught: letters said by their names where these are ordinary words too ("ess, em, i, tee,
aitch"; the distinctive ones, "eme", "acca", "zett", are), and a run of vowels alone ("Y O").

Spelled names are taken out before self-introductions, so that an introduction does not take
three letters of a spelling for the name ("my name is S M I T H") and leave the rest; a name
passed in ``known_names`` is also taken out spelled ("W E B E R"), however short.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})")
"""Dates have a phone-like shape; a stay's dates are not personal data and must stay readable."""

_V = TypeVar("_V")

NAME: Final = "[name]"
"""What a name becomes, whichever way it was found."""

_TOKEN: Final = re.compile(r"[^\W_]+")
_SEPARATOR: Final = re.compile(r"[\s,.\-‐‑–—]+")
_HYPHENS: Final = "-‐‑–—"
_DOTTED: Final = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.){2,}(?![^\W_])")
_APOSTROPHES: Final = ("'", "’")
_PHRASE_GAP: Final = re.compile(r"[\s'’\-]+")
_ORDINAL_OR_UNIT: Final = re.compile(
    r"\d+(?:st|nd|rd|th|er|re|ère|ème|e|es|o|a|º|ª|h|am|pm)", re.IGNORECASE
)
"""``12th``, ``1er``, ``6pm``: a date or a time said with a spelled name, not a code."""
_CODE_TAIL: Final = (3, 8)
"""Characters a code's tail stands for, from its first digit to its last (as codes.py)."""
_CODE_PREFIX: Final = (3, 2)
"""Letters before the tail that belong to the code: all up to 3, else the last 2."""
_CODE_SUFFIX: Final = 2
_AS_IN_EXAMPLE: Final = 3
"""The shortest word after "as in": "I like it" is no spelling."""


def redact_spelled_names(text: str) -> str:
    """Replace names spelled letter by letter or with a spelling alphabet (module docstring)."""
    t = _Text.of(text)
    if len(t.tokens) < 2:
        return text
    sp = _spelling()
    spans = [span for run in _runs(t, sp) for span in _names_in_run(text, run, sp)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + NAME + text[end:]
    return text


@cache
def name_intros() -> dict[str, Any]:
    """The self-introduction catalog: its phrases also cue a spelling ("my name is S M …")."""
    return json.loads(Path(__file__).with_name("name_intros.json").read_text("utf-8"))


def _folded_phrases(phrases: Iterable[str]) -> str:
    """Phrases as one alternation over folded text: any spaces, either apostrophe."""
    patterns = {
        r"\s+".join(re.sub("['’]", "['’]", re.escape(w)) for w in _fold(p).split()) for p in phrases
    }
    return "|".join(sorted(patterns, key=len, reverse=True))


def _fold(word: str) -> str:
    """Lower case without accents: how catalog words are compared ("Désiré" is "desire")."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- the spelling catalog ---------------------------------------------------------------


@dataclass(frozen=True)
class _Table(Generic[_V]):
    """Catalog phrases (folded word tuples) with what they stand for.

    ``first`` holds their first words, so that an ordinary word is a quick miss.
    """

    values: dict[tuple[str, ...], _V]
    first: frozenset[str]
    longest: int

    @classmethod
    def of(cls, values: dict[tuple[str, ...], _V]) -> _Table[_V]:
        return cls(values, frozenset(k[0] for k in values), max(map(len, values), default=1))


@dataclass(frozen=True)
class _Spelling:
    """``spelled_names.json``, folded into lookup tables once."""

    one_letter_words: frozenset[str]
    alphabet: _Table[tuple[str, bool]]
    """A spelling alphabet's words -> (letter, national: not NATO and not a letter's name)."""
    letter_names: _Table[str]
    as_in: _Table[bool]
    joiners: _Table[str]
    before: _Table[bool]
    after: _Table[bool]
    digits: frozenset[str]
    numbers: frozenset[str]
    number_parts: frozenset[str]
    labels: frozenset[str]
    abbreviations: frozenset[str]
    cue: re.Pattern[str]
    first_words: frozenset[str]


@cache
def _spelling() -> _Spelling:
    catalog = json.loads(Path(__file__).with_name("spelled_names.json").read_text("utf-8"))

    def phrases(per_language: dict[str, list[str]]) -> _Table[bool]:
        return _Table.of({_words(p): True for ps in per_language.values() for p in ps})

    def words(per_language: dict[str, list[str]]) -> frozenset[str]:
        return frozenset(_fold(w) for ws in per_language.values() for w in ws)

    letter_names: dict[tuple[str, ...], str] = {}
    for table in catalog["letter_names"].values():
        for letter, spoken in table.items():
            letter_names |= {_words(w): letter for w in spoken}
    alphabet: dict[tuple[str, ...], tuple[str, bool]] = {
        _words(w): (letter_names[_words(w)], False) for w in catalog["letter_names_alone"]
    }
    for name, table in catalog["alphabets"].items():
        for letter, spoken in table.items():
            for word in spoken:
                alphabet.setdefault(_words(word), (_fold(letter), name != "nato"))
    letter_names |= {(d,): d for d in catalog["digraphs"]}
    joiners = {
        _words(p): kind
        for kind, per_language in catalog["joiners"].items()
        for ps in per_language.values()
        for p in ps
    }
    cues = _folded_phrases(c for cs in catalog["cues"].values() for c in cs)
    intros = _folded_phrases(p for ps in name_intros()["intros"].values() for p in ps)
    name_word = r"[^\W\d_][\w'’-]*"
    tables = (
        _Table.of(alphabet),
        _Table.of(letter_names),
        phrases(catalog["as_in"]),
        _Table.of(joiners),
        phrases(catalog["modifiers"]["before"]),
        phrases(catalog["modifiers"]["after"]),
    )
    return _Spelling(
        one_letter_words=frozenset(_fold(w) for w in catalog["one_letter_words"]),
        alphabet=tables[0],
        letter_names=tables[1],
        as_in=tables[2],
        joiners=tables[3],
        before=tables[4],
        after=tables[5],
        digits=words(catalog["digits"]),
        numbers=words(catalog["numbers"]),
        number_parts=words(catalog["number_parts"]),
        labels=words(catalog["labels"]),
        abbreviations=frozenset(catalog["abbreviations"]),
        cue=re.compile(
            rf"(?<![^\W_])(?:{cues}|(?:{intros})(?:[\s,:]+{name_word}){{0,{name_intros()['max_words']}}})"
            r"[\s:,;.\-–—\"“”„«»']*$"
        ),
        first_words=frozenset().union(*(t.first for t in tables)),
    )


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_fold(phrase)))


# --- reading units ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str
    folded: str


@dataclass(frozen=True)
class _Text:
    """A text cut into word tokens; ``gaps[k]`` is what precedes ``tokens[k]``."""

    text: str
    tokens: list[_Token]
    gaps: list[str]

    @classmethod
    def of(cls, text: str) -> _Text:
        tokens = [
            _Token(m.start(), m.end(), m.group(), _fold(m.group())) for m in _TOKEN.finditer(text)
        ]
        ends = [0, *(t.end for t in tokens)]
        starts = [*(t.start for t in tokens), len(text)]
        return cls(text, tokens, [text[a:b] for a, b in zip(ends, starts, strict=True)])


@dataclass(frozen=True)
class _Unit:
    """One spelled thing: a letter, an alphabet word, an "X as in Y", or digits.

    ``strong`` units are what ordinary sentences do not have (a consonant alone, an alphabet
    word); ``width`` is how many characters of a code a digits unit stands for.
    """

    kind: str  # "letter", "as_in", "word", "national", "digits"
    start: int
    end: int
    letter: str = ""
    strong: bool = True
    upper: bool | None = None
    width: int = 0
    leads_with_letter: bool = False
    also_digit: bool = False


@dataclass(frozen=True)
class _Joiner:
    kind: str  # "hyphen" or "other"
    start: int
    end: int


@dataclass
class _Run:
    """Units with only separators between them; ``gaps[i]`` is what precedes ``units[i]``."""

    units: list[_Unit]
    gaps: list[str]


def _runs(t: _Text, sp: _Spelling) -> Iterator[_Run]:
    """Every run of spelling units in the text, in order."""
    # Dates and dotted abbreviations ("e.g.", "z.B.", "U.S.A.") are words, not spellings.
    kept = [m.span() for m in DATE_PATTERN.finditer(t.text)] + [
        m.span()
        for m in _DOTTED.finditer(t.text)
        if "".join(_TOKEN.findall(_fold(m.group()))) in sp.abbreviations
    ]
    run: _Run | None = None
    joiner: _Joiner | None = None
    i = 0
    while i < len(t.tokens):
        token = t.tokens[i]
        if any(s < token.end and token.start < e for s, e in kept):
            item, after = None, i + 1
        else:
            item, after = _read(t, i, sp)
        if isinstance(item, _Joiner):
            joiner = item if run and _separates(t.text, run.units[-1].end, item.start) else None
        elif isinstance(item, _Unit):
            gap = _gap_kind(t.text, run, joiner, item) if run else None
            if run and gap:
                run.units.append(item)
                run.gaps.append(gap)
            else:
                if run:
                    yield run
                run = _Run([item], [""])
            joiner = None
        else:
            if run:
                yield run
            run, joiner = None, None
        i = after
    if run:
        yield run


def _gap_kind(text: str, run: _Run, joiner: _Joiner | None, unit: _Unit) -> str | None:
    """How the last unit of ``run`` and ``unit`` are separated, or None if they are not."""
    last = run.units[-1].end
    if joiner:
        ok = _separates(text, last, joiner.start) and _separates(text, joiner.end, unit.start)
        return ("dash" if joiner.kind == "hyphen" else "joiner") if ok else None
    gap = text[last : unit.start]
    if not _SEPARATOR.fullmatch(gap):
        return None
    if gap in _HYPHENS:
        return "hyphen"
    if any(h in gap for h in _HYPHENS):
        return "dash"
    return "comma" if "," in gap else "dot" if "." in gap else "space"


def _separates(text: str, start: int, end: int) -> bool:
    return bool(_SEPARATOR.fullmatch(text[start:end]))


def _read(t: _Text, i: int, sp: _Spelling) -> tuple[_Unit | _Joiner | None, int]:
    """The unit (or joiner) that starts at token ``i``, and the index of the token after it."""
    token = t.tokens[i]
    if (
        len(token.text) > 1
        and token.text.isalpha()
        and token.folded not in sp.first_words
        and not _number_width(token.folded)
    ):
        return None, i + 1  # most words of a sentence
    joined = _phrase(t, i, sp.joiners)
    if joined:
        kind = sp.joiners.values[joined[0]]
        return _Joiner(kind, token.start, t.tokens[joined[1] - 1].end), joined[1]
    modifier = _phrase(t, i, sp.before)
    # "double u" and "doble ve" are letters of their own, not a doubled "u".
    if modifier and modifier[1] < len(t.tokens) and not _phrase(t, i, sp.alphabet):
        j = modifier[1]
        unit, after = _read_unit(t, j, sp, modified=True)
        if unit and re.fullmatch(r"[\s\-]+", t.gaps[j]):
            return _with_span(unit, start=token.start), after
    return _read_unit(t, i, sp, modified=False)


def _read_unit(t: _Text, i: int, sp: _Spelling, *, modified: bool) -> tuple[_Unit | None, int]:
    token = t.tokens[i]
    as_in = _as_in(t, i, sp, modified=modified)
    if as_in:
        return as_in
    word = _phrase(t, i, sp.alphabet)
    if word:
        letter, national = sp.alphabet.values[word[0]]
        end = t.tokens[word[1] - 1].end
        also_digit = len(word[0]) == 1 and _number_width(word[0][0]) > 0
        kind = "national" if national else "word"
        return _Unit(kind, token.start, end, letter, also_digit=also_digit), word[1]
    if not token.text.isalpha():  # a token holds letters and digits only
        if _ORDINAL_OR_UNIT.fullmatch(token.text):
            return None, i + 1
        lead = token.text[0].isalpha()
        width = len(token.text)
        return _Unit("digits", token.start, token.end, width=width, leads_with_letter=lead), i + 1
    width = _number_width(token.folded)
    if width:
        return _Unit("digits", token.start, token.end, width=width), i + 1
    if not _is_letter(token.text) or _glued(t, i, before=not modified):
        return None, i + 1
    end, after = token.end, i + 1
    modifier = _phrase(t, after, sp.after) if after < len(t.tokens) else None
    if modifier and t.gaps[after].isspace():
        end, after = t.tokens[modifier[1] - 1].end, modifier[1]
    strong = token.folded not in sp.one_letter_words
    return _Unit("letter", token.start, end, token.folded, strong, token.text.isupper()), after


def _as_in(t: _Text, i: int, sp: _Spelling, *, modified: bool) -> tuple[_Unit, int] | None:
    """A letter or its name, an "as in" word, a word that starts with it: "S as in sugar"."""
    starts: list[tuple[str, int, bool | None]] = []
    if _is_letter(t.tokens[i].text) and not _glued(t, i, before=not modified):
        starts.append((t.tokens[i].folded, i + 1, t.tokens[i].text.isupper()))
    named = _phrase(t, i, sp.letter_names)
    if named:
        starts.append((sp.letter_names.values[named[0]], named[1], None))
    for letter, j, upper in starts:
        cue = _phrase(t, j, sp.as_in) if j < len(t.tokens) else None
        if not cue or cue[1] >= len(t.tokens):
            continue
        example = t.tokens[cue[1]].folded
        spaced = all(t.gaps[k].isspace() for k in range(j, cue[1] + 1))
        long_enough = example.isalpha() and len(example) >= _AS_IN_EXAMPLE
        if spaced and long_enough and example.startswith(letter):
            strong = letter not in sp.one_letter_words
            unit = _Unit("as_in", t.tokens[i].start, t.tokens[cue[1]].end, letter, strong, upper)
            return unit, cue[1] + 1
    return None


def _phrase(t: _Text, i: int, table: _Table[Any]) -> tuple[tuple[str, ...], int] | None:
    """The longest catalog phrase at token ``i`` (words apart only by spaces, ', -)."""
    if t.tokens[i].folded not in table.first:
        return None
    words: list[str] = []
    found = None
    for j in range(i, min(i + table.longest, len(t.tokens))):
        if j > i and not _PHRASE_GAP.fullmatch(t.gaps[j]):
            break
        words.append(t.tokens[j].folded)
        if tuple(words) in table.values:
            found = (tuple(words), j + 1)
    return found


def _with_span(unit: _Unit, *, start: int) -> _Unit:
    return _Unit(
        unit.kind,
        start,
        unit.end,
        unit.letter,
        unit.strong,
        unit.upper,
        unit.width,
        unit.leads_with_letter,
        unit.also_digit,
    )


def _is_letter(token: str) -> bool:
    return len(token) == 1 and token.isalpha() and "LATIN" in unicodedata.name(token, "")


def _glued(t: _Text, i: int, *, before: bool) -> bool:
    """A letter that is part of a word: "U-Bahn", "a-t-il", "l'A", "I'm", "s'il".

    ``before`` is False after a modifier ("Doppel-L"), which may be glued to its letter.
    """
    left, right = t.gaps[i], t.gaps[i + 1]
    if left.endswith(_APOSTROPHES) or right.startswith(_APOSTROPHES):
        return True
    if before and i and not _spaced(left) and len(t.tokens[i - 1].text) > 1:
        return True
    following = t.tokens[i + 1].text if i + 1 < len(t.tokens) else ""
    # A code's tail may be glued to its letters: "H-V-1042".
    return not _spaced(right) and len(following) > 1 and not following[0].isdigit()


def _spaced(gap: str) -> bool:
    """True unless ``gap`` is punctuation that glues two tokens into one word ("-", ".")."""
    return not gap or any(c.isspace() for c in gap)


@lru_cache(maxsize=4096)
def _number_width(word: str) -> int:
    """How many characters of a code a (folded) number word stands for (0: no number word)."""
    sp = _spelling()
    if not word.isalpha():
        return 0
    if word in sp.digits:
        return 1
    if word in sp.numbers:
        return 2
    # A compound of number words: "vierundzwanzig", "veintidos", "quarantadue", "ventotto".
    numbers = sp.digits | sp.numbers
    # reach[k]: None if word[:k] cannot be cut into pieces, else whether a number is among them.
    reach: list[bool | None] = [False] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end):
            piece, before = word[start:end], reach[start]
            if before is not None and (piece in numbers or piece in sp.number_parts):
                reach[end] = bool(reach[end]) or before or piece in numbers
    return 2 if reach[-1] else 0


# --- deciding what is a name ----------------------------------------------------------------


def _names_in_run(text: str, run: _Run, sp: _Spelling) -> Iterator[tuple[int, int]]:
    """The spans of a run that are spelled names (none where it is a code or no spelling)."""
    units = _resolve_digit_words(run.units)
    if all(u.kind == "digits" for u in units):
        return
    start = units[0].start
    before = text[max(0, start - 160) : start]
    label = re.search(r"([^\W_]+)[\s:]*$", before)
    cue: list[bool] = []  # looked for once, and only where it decides
    for first, last in _letter_segments(units):
        for a, b in _split_weak(units, run.gaps, first, last):
            name = _is_name(units[a : b + 1], run.gaps[a + 1 : b + 1], sp)
            # The cue still counts past weak letters left out before: "that's a, D O".
            if name is None and first == 0 and all(_weak_letter(u) for u in units[:a]):
                cue = cue or [bool(sp.cue.search(_fold(before)))]
                name = cue[0]
            if name and not (label and _fold(label.group(1)) in sp.labels):
                yield units[a].start, units[b].end


def _resolve_digit_words(units: list[_Unit]) -> list[_Unit]:
    """A word that is O in German and 8 in Italian ("otto"): a digit next to digits."""
    out = []
    for k, unit in enumerate(units):
        near = units[max(0, k - 1) : k] + units[k + 1 : k + 2]
        digit = unit.also_digit and any(u.kind == "digits" for u in near)
        out.append(_Unit("digits", unit.start, unit.end, width=1) if digit else unit)
    return out


def _letter_segments(units: list[_Unit]) -> list[tuple[int, int]]:
    """Index ranges of the letters of a run that may be a name: what is not part of a code."""
    digits = [k for k, u in enumerate(units) if u.kind == "digits"]
    if not digits:
        return [(0, len(units) - 1)]
    first, last = digits[0], digits[-1]
    tail = sum(u.width if u.kind == "digits" else 1 for u in units[first : last + 1])
    low, high = _CODE_TAIL
    if not low <= tail <= high:
        # Not a code: the numbers only end the letters around them.
        bounds = [-1, *digits, len(units)]
        return [(a + 1, b - 1) for a, b in pairwise(bounds) if b - a > 1]
    segments = []
    all_up_to, keep = _CODE_PREFIX
    # "HV1042" has its letters; "H V 1 0 4 2" has those before it.
    kept = 0 if units[first].leads_with_letter else first if first <= all_up_to else keep
    if first - kept > 0:
        segments.append((0, first - kept - 1))
    suffix = len(units) - last - 1
    if suffix > _CODE_SUFFIX or tail + suffix > high:
        segments.append((last + 1, len(units) - 1))
    return segments


def _split_weak(
    units: list[_Unit], gaps: list[str], first: int, last: int
) -> list[tuple[int, int]]:
    """Split a segment at weak letters in the other case, and trim weak letters set apart."""
    cases = Counter(u.upper for u in units[first : last + 1] if u.strong and u.upper is not None)
    case = cases.most_common(1)[0][0] if cases else None
    pieces: list[tuple[int, int]] = []
    a = first
    for k in range(first, last + 2):
        unit = units[k] if k <= last else None
        odd = (
            unit is not None
            and unit.kind == "letter"
            and not unit.strong
            and case is not None
            and unit.upper != case
        )
        if unit is None or odd:
            if k > a:
                pieces.append((a, k - 1))
            a = k + 1
    return [_trim(gaps, a, b, units) for a, b in pieces]


def _trim(gaps: list[str], a: int, b: int, units: list[_Unit]) -> tuple[int, int]:
    """Leave out a weak letter at an edge set off by another separator than the run's."""
    while b - a >= 2:
        inner = Counter(gaps[a + 1 : b + 1]).most_common(1)[0][0]
        if _weak_letter(units[a]) and _set_off(gaps[a + 1], gaps[a + 2], inner):
            a += 1
        elif _weak_letter(units[b]) and _set_off(gaps[b], gaps[b - 1], inner):
            b -= 1
        else:
            break
    return a, b


def _set_off(edge: str, next_in: str, inner: str) -> bool:
    """An edge's separator unlike the run's ("S M I T H, I"); a "dash" word is no such."""
    return edge not in (inner, "joiner") and next_in == inner


def _weak_letter(unit: _Unit) -> bool:
    return unit.kind == "letter" and not unit.strong


def _is_name(units: list[_Unit], gaps: list[str], sp: _Spelling) -> bool | None:
    """Whether these units spell a name, by the rule of the module docstring.

    None: they do if a spelling cue comes just before them.
    """
    strong = sum(u.strong for u in units)
    # Weak letters count next to a consonant only: "a golf hotel" is no spelling.
    spelled = any(u.strong and u.kind in ("letter", "as_in") for u in units)
    count = len(units) if spelled else strong
    letters = "".join(u.letter for u in units)
    if letters in sp.abbreviations or _alphabetical(letters) or count < 2:
        return False
    if any(u.kind == "as_in" for u in units):
        return True
    if not spelled and any(u.kind == "national" for u in units):
        return True if strong >= 4 else None  # "Milano, Roma e Napoli" is a trip
    hyphens = bool(gaps) and all(g == "hyphen" for g in gaps)  # "D-O", not "a -k"
    return True if count >= 3 or hyphens else None


def _alphabetical(letters: str) -> bool:
    """Letters in alphabetical order ("A, B, C") are a list of options, not a name."""
    return len(letters) >= 3 and all(ord(b) - ord(a) == 1 for a, b in pairwise(letters))


# --- shapes -------------------------------------------------------------------------------
