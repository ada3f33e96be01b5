"""Recording consent in what the caller says: "please don't record", in any of our languages.

The words are data, in each language's ``recording.json`` catalog: a ``no_recording`` group
(phrases that decline wherever they occur: "do not record", "nicht aufzeichnen", "no grabe")
and a ``no_recording_alone`` group (short phrases that only decline when the caller says little
else, because the words have other meanings: German "aufnehmen" also means to take in a
guest, French "enregistrement" and Italian "registrazione" also mean checking in). Every
language is tried, the call's own first, so a caller who declines in another language is
understood and answered in that language.

A turn that only declines ("No, please don't record this call, thanks") needs no other
answer; one that also asks something ("Don't record this. Is there parking?") still goes to
the dialogue after the confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from realtime_agent.language import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    base_language,
    catalog,
)
from realtime_agent.language.phrases import phrase_spans
from realtime_agent.language.text import plain_words
from realtime_agent.language.vocabularies import vocabulary

from .nlu import Intent, understand

DECLINE_GROUP = "no_recording"
DECLINE_ALONE_GROUP = "no_recording_alone"
WHOLE_TURN_MAX_WORDS = 6
"""A decline leaves at most this many other words for the turn to need no other answer."""
_NOTHING_ASKED = (Intent.UNKNOWN, Intent.GREETING, Intent.AFFIRM, Intent.DENY)


@dataclass(frozen=True)
class RecordingDecline:
    """The caller declined recording.

    Attributes:
        language: The language of the phrase that declined: the confirmation's language.
        whole_turn: The turn asks nothing else, so the dialogue need not answer it.
    """

    language: str
    whole_turn: bool


def recording_decline(
    text: str, *, today: date, language: str = DEFAULT_LANGUAGE
) -> RecordingDecline | None:
    """Whether ``text`` declines recording, and whether that is all it says.

    Args:
        text: One caller turn.
        today: The call's date (the rest of the turn is read by the fallback NLU).
        language: The call's language, tried first.

    Returns:
        The decline, or ``None`` when the turn does not decline recording.
    """
    first = base_language(language)
    order = [first] if first in SUPPORTED_LANGUAGES else []
    order += [lang for lang in SUPPORTED_LANGUAGES if lang not in order]
    for lang in order:
        rest = _rest_after_decline(text, lang)
        if rest is not None:
            return RecordingDecline(lang, whole_turn=_asks_nothing(rest, lang, today))
    return None


def _rest_after_decline(text: str, language: str) -> list[str] | None:
    """The turn's words without its decline phrases; ``None`` when it declines nothing."""
    phrases = decline_phrases(language)
    words = plain_words(text, language=language)
    spans = phrase_spans(words, phrases[DECLINE_GROUP])
    if not spans:
        spans = phrase_spans(words, phrases[DECLINE_ALONE_GROUP])
        covered = {i for span in spans for i in span}
        others = {w for i, w in enumerate(words) if i not in covered}
        if not spans or not others <= _small_words(language):
            return None
    covered = {i for span in spans for i in span}
    return [w for i, w in enumerate(words) if i not in covered]


@cache
def decline_phrases(language: str) -> dict[str, tuple[str, ...]]:
    """The catalog's two cue groups for ``language`` (empty for a language it lacks)."""
    try:
        groups = catalog(language, "recording")
    except FileNotFoundError:
        groups = {}
    return {group: tuple(groups.get(group, ())) for group in (DECLINE_GROUP, DECLINE_ALONE_GROUP)}


def _small_words(language: str) -> frozenset[str]:
    """Words said around a short answer: fillers, yes and no ("nein, nicht aufnehmen")."""
    vocab = vocabulary(language)
    yes_no = vocab.intent_phrases.get("affirm", ()) + vocab.intent_phrases.get("deny", ())
    return vocab.name_fillers | {phrase for phrase in yes_no if " " not in phrase}


def _asks_nothing(rest: list[str], language: str, today: date) -> bool:
    """The words besides the decline hold no request the dialogue should answer."""
    if len(rest) > WHOLE_TURN_MAX_WORDS:
        return False
    u = understand(" ".join(rest), today=today, language=language)
    slots = (
        u.arrival,
        u.departure,
        u.nights,
        u.adults,
        u.children,
        u.confirmation_code,
        u.last_name,
        u.first_name,
    )
    flags = (u.topics, u.card_details, u.injection, u.other_guests)
    return u.intent in _NOTHING_ASKED and all(v is None for v in slots) and not any(flags)
