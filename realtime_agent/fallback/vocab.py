"""Language-neutral shape of the phrase tables used by the fallback NLU.

The fallback parsers never hard-code English words. Each language supplies a
``Vocabulary`` whose tables map surface phrases onto *canonical markers*
(upper-case tokens such as ``TO`` or ``M12``); the date and guest grammars only
ever look at those markers. Adding German or French therefore means writing a
new table module, not touching the grammars.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


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
    code_fillers: frozenset[str] = frozenset()
    letter_as_in: tuple[str, ...] = ()


def split_phrases(phrases: str) -> tuple[str, ...]:
    """Split a ``|``-separated phrase list; keeps the phrase tables compact and readable.

    Args:
        phrases: E.g. ``"front desk|reception"``.

    Returns:
        The stripped, non-empty phrases in order.
    """
    return tuple(p.strip() for p in phrases.split("|") if p.strip())


def calendar_markers(
    months: Sequence[str],
    weekdays: Sequence[str],
    weekday_forms: Callable[[str], str] = lambda names: names,
) -> dict[str, str]:
    """Month and weekday names as the date parser's markers: ``M1``…``M12``, ``W0``…``W6``.

    Args:
        months: Twelve ``|``-separated name lists, January first.
        weekdays: Seven, Monday first.
        weekday_forms: A weekday's names → every form callers say (``lundi soir``).

    Returns:
        Phrase -> marker, in month then weekday order.
    """
    markers: dict[str, str] = {}
    for number, names in enumerate(months, start=1):
        markers |= markers_for(f"M{number}", names)
    for number, names in enumerate(weekdays):
        markers |= markers_for(f"W{number}", weekday_forms(names))
    return markers


def markers_for(marker: str, phrases: str) -> dict[str, str]:
    """Map every phrase in a ``|``-separated list onto one canonical marker.

    Args:
        marker: E.g. ``"TO"``.
        phrases: E.g. ``"bis|bis zum|bis zur"``.

    Returns:
        Phrase -> marker, ready to be merged into ``Vocabulary.markers``.
    """
    return dict.fromkeys(split_phrases(phrases), marker)
