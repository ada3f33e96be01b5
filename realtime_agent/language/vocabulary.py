"""A language's phrase vocabulary: the shape the fallback parsers read, built from catalogs.

The fallback parsers never hard-code a language's words. Each language supplies a
``Vocabulary`` whose tables map surface phrases onto *canonical markers* (upper-case tokens
such as ``TO`` or ``M12``); the date and guest grammars only ever look at those markers.
The tables are data: the ``numbers``, ``phrases`` and ``dialogue`` catalogs of the
language's folder (schema in ``catalogs/README.md``), the ``common`` catalog that every
language shares (spelling alphabet, card brands, jailbreak phrases), and CLDR's month and
weekday names. Phrases are lower case and accent-folded ("marz", "fur"), as produced by
``realtime_agent.language.text.lower_text``.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

from realtime_agent.language import CATALOGS, catalog

# Letters that do not decompose into a base letter plus an accent.
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})


def fold_accents(text: str) -> str:
    """Drop accents ("März" -> "Marz", "mañana" -> "manana").

    ASR engines and callers typing on a phone are inconsistent about accents,
    so every phrase table is written without them and text is folded to match.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class NumberWords:
    """Spoken number vocabulary for one language.

    Attributes:
        units: Words for 0-9 ("one" -> 1).
        teens: Words for 10-19 ("twelve" -> 12).
        tens: Words for multiples of ten from 20 ("forty" -> 40).
        ordinals: Ordinal words ("twelfth" -> 12, "twentieth" -> 20).
        hundred: Words multiplying the current group by 100.
        thousand: Words multiplying everything so far by 1000.
        joiners: Words allowed inside a number ("two hundred AND five").
        ordinal_suffix: Regex for typed ordinal suffixes ("21st").
        hundreds: Single words that name whole hundreds, alone or with what follows
            ("ochocientos" -> 800, "ottocentotredici" -> 813): languages that glue the
            hundreds to their multiplier, so "ochocientos trece" reads as 813 and a
            confirmation number read in groups keeps its digits.

    Keys of ``units``, ``teens``, ``tens`` and ``ordinals`` may be several
    words ("vingt et un", "quatre vingt dix"): languages that build numbers from
    parts list the whole phrase, so the grammar never needs their word order.
    """

    units: Mapping[str, int]
    teens: Mapping[str, int]
    tens: Mapping[str, int]
    ordinals: Mapping[str, int]
    hundred: frozenset[str]
    thousand: frozenset[str]
    joiners: frozenset[str]
    ordinal_suffix: str
    hundreds: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """All phrase tables for one language.

    Attributes:
        language: ISO 639-1 code ("en").
        numbers: Spoken number words.
        contractions: ``(regex, replacement)`` pairs applied to lower-cased text
            so that "that's all" and an ASR's "that is all" look the same.
        markers: Phrase -> canonical marker (months ``M1``..``M12``, weekdays
            ``W0``..``W6`` with Monday = 0, and grammar words like ``TO``).
            Multi-word phrases are matched longest first.
        intent_phrases: Cue group name -> phrases (see ``intents.py`` for the
            group names and how they are ranked).
        topic_phrases: ``InfoTopic`` value -> phrases that mention it.
        name_cues: Cue kind -> phrases that introduce a name. Kinds: "last"
            (surname), "first", "full" (one word = surname, two = first +
            last), "intro" (only at the start, one word = first name) and
            "weak" (like "full" but only when the name ends the utterance) and
            "opening" (only at the start and when the name ends the utterance;
            one word = surname, as in Italian "sono Rossi").
        name_particles: Lower-case surname particles ("van", "de") that belong
            to the following word.
        name_fillers: Words a caller may say around a bare name answer.
        stopwords: Words that can never be a name (so "it's tomorrow" gives no
            surname).
        letter_names: Spoken letter names ("vee" -> "v", "alpha" -> "a") used
            when a code or a name is spelled out.
        code_digits: Extra digit words only valid inside a spelled code ("oh").
        code_cues: Words announcing a confirmation code ("code", "reference").
        code_repeat: Words repeating the next symbol, with the repeat count
            ("double four" -> "44", "triple" -> 3).
        day_articles: Words after which a cardinal 1-31 is a day of the month
            ("el doce", "le 3", "dal 2 al 4"): languages that say dates with
            cardinals mark the day with an article instead of an ordinal.
        letter_as_in: Words between a spelled letter and a word that starts with it,
            "H wie Heinrich", "h comme Henri", "h as in hotel": the pair is one letter.
        code_fillers: Single-letter words that are grammar, not code letters,
            when they start a spelled code ("e" in Italian "è h v ...").
        letter_marks: The words naming the accent of the letter just spelled ("e accent
            grave", "a Umlaut"), each with its combining mark, so "Lefèvre" keeps its è.
    """

    language: str
    numbers: NumberWords
    contractions: tuple[tuple[str, str], ...]
    markers: Mapping[str, str]
    intent_phrases: Mapping[str, tuple[str, ...]]
    topic_phrases: Mapping[str, tuple[str, ...]]
    name_cues: Mapping[str, tuple[str, ...]]
    name_particles: frozenset[str]
    name_fillers: frozenset[str]
    stopwords: frozenset[str]
    letter_names: Mapping[str, str]
    code_digits: Mapping[str, str]
    code_cues: frozenset[str]
    code_repeat: Mapping[str, int]
    day_articles: frozenset[str] = frozenset()
    letter_marks: tuple[tuple[tuple[str, ...], str], ...] = ()
    code_fillers: frozenset[str] = frozenset()
    letter_as_in: tuple[str, ...] = ()


# -- Building a Vocabulary from catalogs -------------------------------------------------

WordValues = dict[str, int]
_NUMBER_TABLES = ("units", "teens", "tens", "ordinals", "hundreds")


class _WordSets:
    """The named word sets and tables of a ``numbers.json``, each built on first use.

    A set or table is a list of entries: an explicit ``{"word": value}`` map, the name of
    another set or table, or a compounding rule ``{"parts": […]}``; entries are merged in
    order.
    """

    def __init__(self, definitions: Mapping[str, list[Any]]) -> None:
        self._definitions = definitions
        self._built: dict[str, WordValues] = {}

    def __getitem__(self, name: str) -> WordValues:
        if name not in self._built:
            self._built[name] = {}  # a set that names itself stays empty, not endless
            self._built[name] = self.table(self._definitions.get(name, []))
        return self._built[name]

    def words(self, ref: Any) -> WordValues:
        """A set: a name, an inline map, or a list of those (their union)."""
        if isinstance(ref, str):
            return self[ref]
        if isinstance(ref, list):
            union: WordValues = {}
            for part in ref:
                union |= self.words(part)
            return union
        return {str(word): int(value) for word, value in ref.items()}

    def table(self, entries: list[Any]) -> WordValues:
        """Explicit maps, named sets and compounding rules, merged in order."""
        table: WordValues = {}
        for entry in entries:
            compound = isinstance(entry, dict) and "parts" in entry
            table |= self.compound(entry) if compound else self.words(entry)
        return table

    def compound(self, rule: Mapping[str, Any]) -> WordValues:
        """Every word a compounding rule makes: one word of each part, joined; values add.

        ``join`` goes between the parts ("und", " y "); where the next part starts with a
        letter of ``elide``, the word so far drops its last letter ("venti" + "otto" ->
        "ventotto").
        """
        parts = [self.words(part) for part in rule["parts"]]
        joiner, elide = rule.get("join", ""), rule.get("elide", "")
        table: WordValues = {}
        for combination in itertools.product(*(part.items() for part in parts)):
            word, value = combination[0]
            for piece, piece_value in combination[1:]:
                if elide and piece[:1] in elide:
                    word = word[:-1]
                word, value = word + joiner + piece, value + piece_value
            table[word] = value
        return table


def _numbers(data: Mapping[str, Any]) -> NumberWords:
    """``numbers.json``: named word sets, the five tables built from them, grammar words."""
    sets = _WordSets({**data.get("sets", {}), **{t: data.get(t, []) for t in _NUMBER_TABLES}})
    return NumberWords(
        **{name: sets[name] for name in _NUMBER_TABLES},
        hundred=frozenset(data["hundred"]),
        thousand=frozenset(data["thousand"]),
        joiners=frozenset(data["joiners"]),
        ordinal_suffix=data["ordinal_suffix"],
    )


def _cldr_names(language: str) -> tuple[list[str], list[str]]:
    """CLDR's wide month (January first) and weekday (Monday first) names, folded."""
    locale = Locale.parse(language)
    months = locale.months["format"]["wide"]
    days = locale.days["format"]["wide"]
    fold = lambda name: fold_accents(name.lower())  # noqa: E731 - a one-line local helper
    return [fold(months[m]) for m in range(1, 13)], [fold(days[d]) for d in range(7)]


def _calendar_markers(language: str, calendar: Mapping[str, Any]) -> dict[str, str]:
    """Month and weekday names as markers ``M1``…``M12`` and ``W0``…``W6`` (Monday = 0).

    CLDR gives the names; the catalog adds spoken variants and short forms (``months``,
    ``weekdays``: lists of extra names, January and Monday first) and the forms a weekday
    is said in (``weekday_forms``: ``"{}s"`` makes "montags" of "montag").
    """
    months, weekdays = _cldr_names(language)
    extra_months = calendar.get("months", [[]] * 12)
    extra_days = calendar.get("weekdays", [[]] * 7)
    forms = ["{}", *calendar.get("weekday_forms", [])]
    markers: dict[str, str] = {}
    for number, (name, extra) in enumerate(zip(months, extra_months, strict=True), start=1):
        markers |= dict.fromkeys([name, *extra], f"M{number}")
    for number, (name, extra) in enumerate(zip(weekdays, extra_days, strict=True)):
        names = [name, *extra]
        markers |= dict.fromkeys([form.format(n) for form in forms for n in names], f"W{number}")
    return markers


def _grouped(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{"TO": ["bis", "bis zum"]}`` -> phrase -> group."""
    return {phrase: group for group, phrases in groups.items() for phrase in phrases}


@cache
def load_vocabulary(language: str, root: Path = CATALOGS) -> Vocabulary:
    """Build one language's vocabulary from its catalogs under ``root``.

    Args:
        language: A base language code with a catalog folder ("de").
        root: The catalog folder; the shipped one unless a test or tool gives another.

    Returns:
        The language's phrase tables.
    """
    common = catalog("common", "phrases", CATALOGS)
    numbers = catalog(language, "numbers", root)
    phrases = catalog(language, "phrases", root)
    dialogue = catalog(language, "dialogue", root)
    intents = {
        group: (*words, *common["intents"].get(group, ()))
        for group, words in dialogue["intents"].items()
    }
    markers = _calendar_markers(language, phrases.get("calendar", {}))
    markers |= _grouped(phrases["markers"])
    return Vocabulary(
        language=language,
        numbers=_numbers(numbers),
        contractions=tuple((pattern, repl) for pattern, repl in phrases["contractions"]),
        markers=markers,
        intent_phrases=intents,
        topic_phrases={topic: tuple(words) for topic, words in dialogue["topics"].items()},
        name_cues={kind: tuple(words) for kind, words in dialogue["name_cues"].items()},
        name_particles=frozenset(dialogue["name_particles"]),
        name_fillers=frozenset(dialogue["name_fillers"]),
        stopwords=frozenset(dialogue["stopwords"]),
        letter_names=_grouped(common["letters"]) | _grouped(dialogue.get("letters", {})),
        code_digits=dict(phrases.get("code_digits", {})),
        code_cues=frozenset(phrases["code_cues"]),
        code_repeat=dict(phrases.get("code_repeat", {})),
        day_articles=frozenset(phrases.get("day_articles", ())),
        code_fillers=frozenset(phrases.get("code_fillers", ())),
        letter_as_in=tuple(phrases.get("letter_as_in", ())),
        letter_marks=tuple(
            (tuple(said.split()), mark) for said, mark in dialogue.get("letter_marks", {}).items()
        ),
    )
