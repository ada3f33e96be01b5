"""Language-neutral shape of the phrase tables used by the fallback NLU.

The fallback parsers never hard-code English words. Each language supplies a
``Vocabulary`` whose tables map surface phrases onto *canonical markers*
(upper-case tokens such as ``TO`` or ``M12``); the date and guest grammars only
ever look at those markers. Adding German or French therefore means writing a
new table module, not touching the grammars.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
    """

    units: Mapping[str, int]
    teens: Mapping[str, int]
    tens: Mapping[str, int]
    ordinals: Mapping[str, int]
    hundred: frozenset[str]
    thousand: frozenset[str]
    joiners: frozenset[str]
    ordinal_suffix: str


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
            "weak" (like "full" but only when the name ends the utterance).
        name_particles: Lower-case surname particles ("van", "de") that belong
            to the following word.
        name_fillers: Words a caller may say around a bare name answer.
        stopwords: Words that can never be a name (so "it's tomorrow" gives no
            surname).
        letter_names: Spoken letter names ("vee" -> "v", "alpha" -> "a") used
            when a code or a name is spelled out.
        code_digits: Extra digit words only valid inside a spelled code ("oh").
        code_cues: Words announcing a confirmation code ("code", "reference").
        code_repeat: Words doubling the next symbol ("double four" -> "44").
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
    code_repeat: frozenset[str]


def split_phrases(phrases: str) -> tuple[str, ...]:
    """Split a ``|``-separated phrase list; keeps the phrase tables compact and readable.

    Args:
        phrases: E.g. ``"front desk|reception"``.

    Returns:
        The stripped, non-empty phrases in order.
    """
    return tuple(p.strip() for p in phrases.split("|") if p.strip())
