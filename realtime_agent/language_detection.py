"""Which of our five languages the caller speaks, from what they said.

lingua's detector is restricted to English, German, French, Spanish and Italian and its
models are loaded once per process (``preload`` from the worker's prewarm). One word
("Hallo", "Müller", "okay") says little about a language, so single words never decide;
the first confident utterance sets the call's language and only a long, very confident
utterance switches it later, so a French name in a German sentence does not flip the call.

Short hotel phrases ("due adulti", "oui merci") are hard for any statistical detector,
so before the call's language is settled the fallback NLU's own phrase tables vote too:
words only one language's tables know ("adulti", "merci") point to that language. Those
tables include the words a caller spells an e-mail address with ("chiocciola", "punkt"),
and a word only the call's own language knows vetoes a switch: a spelled address is mostly
a name and a domain ("peter punto collins chiocciola example punto com"), which lingua may
call English with all confidence, while the caller spells it in Italian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from hotelvoice.redaction import spoken_email_words
from realtime_agent.language import SUPPORTED_LANGUAGES
from realtime_agent.language.vocabularies import VOCABULARIES
from realtime_agent.language.vocabulary import fold_accents

FIRST_MIN_WORDS = 2
FIRST_MIN_CONFIDENCE = 0.5
SWITCH_MIN_WORDS = 5
SWITCH_MIN_CONFIDENCE = 0.9
GREETING_MAX_WORDS = 4
"""A greeting-only opening is short: "hola", "buenas tardes", "bonjour bonjour"."""
LEXICAL_MIN_HITS = 2
"""Words only one language's phrase tables know; one is enough if lingua agrees."""
_WORD = re.compile(r"[^\W\d_]{2,}")
_PLAIN_WORD = re.compile(r"[a-z]{2,}")


@dataclass(frozen=True)
class Detection:
    """lingua's best guess for one utterance.

    Attributes:
        language: ISO 639-1 code, one of ``SUPPORTED_LANGUAGES``.
        confidence: 0..1, relative to the other four languages.
        words: Words of two or more letters the guess was made from.
    """

    language: str
    confidence: float
    words: int


def _lexicon(language: str) -> set[str]:
    """Every word of a language's phrase tables, and those it spells an address with."""
    vocab = VOCABULARIES[language]
    nw = vocab.numbers
    tables: list[Any] = [nw.units, nw.teens, nw.tens, nw.ordinals, vocab.markers]
    tables += list(vocab.intent_phrases.values()) + list(vocab.topic_phrases.values())
    tables += [*vocab.name_cues.values(), vocab.stopwords, vocab.name_fillers]
    words = {word for table in tables for phrase in table for word in phrase.split()}
    return words | spoken_email_words(language)


@cache
def _distinctive_words() -> dict[str, frozenset[str]]:
    """Per language, the words no other language's tables contain."""
    lexicons = {lang: _lexicon(lang) for lang in SUPPORTED_LANGUAGES}
    distinctive = {}
    for lang, words in lexicons.items():
        others = set().union(*(w for other, w in lexicons.items() if other != lang))
        distinctive[lang] = frozenset(words - others)
    return distinctive


def lexical_votes(text: str) -> dict[str, int]:
    """How many words of ``text`` only each language's phrase tables know.

    Args:
        text: One caller utterance.

    Returns:
        Language -> hits, only languages with at least one hit.
    """
    words = _PLAIN_WORD.findall(fold_accents(text.lower()))
    votes = {
        lang: sum(word in known for word in words) for lang, known in _distinctive_words().items()
    }
    return {lang: hits for lang, hits in votes.items() if hits}


@cache
def _greeting_words() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per language, the words of its greetings and those no other language greets with."""
    words = {
        lang: frozenset(
            w
            for phrase in VOCABULARIES[lang].intent_phrases.get("greeting", ())
            for w in phrase.split()
        )
        for lang in SUPPORTED_LANGUAGES
    }
    return {
        lang: (own, own - frozenset().union(*(w for o, w in words.items() if o != lang)))
        for lang, own in words.items()
    }


def greeting_language(text: str) -> str | None:
    """The language of an utterance that is only a greeting ("Hola", "Guten Tag"), if one.

    Every word must be a greeting word of that language, at least one of them a greeting
    of no other language ("hi" alone is English and German, so it decides nothing).

    Args:
        text: One caller utterance.

    Returns:
        The language, or None when the utterance is more than a greeting or ambiguous.
    """
    words = _PLAIN_WORD.findall(fold_accents(text.lower()))
    if not words or len(words) > GREETING_MAX_WORDS:
        return None
    found = [
        lang
        for lang, (own, distinct) in _greeting_words().items()
        if all(w in own for w in words) and any(w in distinct for w in words)
    ]
    return found[0] if len(found) == 1 else None


@cache
def _detector() -> Any:
    """The lingua detector for our five languages, models preloaded."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError as exc:  # pragma: no cover - the agent extra pins it
        raise ImportError(
            "language detection needs lingua: pip install 'hotelvoice[agent]'"
        ) from exc
    languages = [
        Language.ENGLISH,
        Language.GERMAN,
        Language.FRENCH,
        Language.SPANISH,
        Language.ITALIAN,
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


def preload() -> None:
    """Load the language models now (about half a second), not on the first caller turn."""
    _detector()


@lru_cache(maxsize=4096)
def detect_language(text: str) -> Detection | None:
    """Best guess for ``text``; None when it holds no words at all.

    The policy replays whole calls on every turn, so results are cached by text.

    Args:
        text: One caller utterance.

    Returns:
        The most likely language and its confidence.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    values = _detector().compute_language_confidence_values(" ".join(words))
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    return Detection(code, best.value, len(words))


@dataclass(frozen=True)
class CallLanguage:
    """The language of a call as it evolves, one caller utterance at a time.

    Attributes:
        language: The language to understand and answer in.
        confirmed: A confident detection has happened; before that the call runs
            in the hotel's (or trunk's) default language and any utterance of two
            words or more may set it.
        switched: The last utterance changed ``language``: the worker emits a
            language-switch call event and changes the TTS voice.
    """

    language: str = "en"
    confirmed: bool = False
    switched: bool = False

    def hear(self, text: str) -> CallLanguage:
        """The call's language after the caller said ``text``.

        Args:
            text: One caller utterance.

        Returns:
            The new state; ``switched`` tells whether the language changed.
        """
        if not self.confirmed and (greeted := greeting_language(text)) is not None:
            # "Hola", "Bonjour": one word, but only one language greets so. It sets the
            # language without settling it, so the next full sentence still may.
            return CallLanguage(greeted, confirmed=False, switched=greeted != self.language)
        detection = detect_language(text)
        if detection is None or detection.language not in SUPPORTED_LANGUAGES:
            return replace(self, switched=False)
        language = self._settled_by(detection, text)
        if language is None:
            return replace(self, switched=False)
        return CallLanguage(language, confirmed=True, switched=language != self.language)

    def _settled_by(self, detection: Detection, text: str) -> str | None:
        """The language ``text`` settles on, or None if it is not convincing enough."""
        if self.confirmed:
            long_and_sure = (
                detection.words >= SWITCH_MIN_WORDS
                and detection.confidence >= SWITCH_MIN_CONFIDENCE
            )
            said_in_ours = bool(lexical_votes(text).get(self.language))
            return detection.language if long_and_sure and not said_in_ours else None
        if detection.words < FIRST_MIN_WORDS:
            return None
        if detection.confidence >= FIRST_MIN_CONFIDENCE:
            return detection.language
        votes = lexical_votes(text)
        if len(votes) != 1:
            return None
        ((language, hits),) = votes.items()
        agrees = language == detection.language
        return language if hits >= LEXICAL_MIN_HITS or agrees else None
