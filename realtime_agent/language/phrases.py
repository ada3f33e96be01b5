"""Finding a cue group's phrases in a caller's words: shared by every language tool.

Phrases are word sequences from a language's catalogs; matching is on whole plain words
(``text.plain_words``), so "now" never matches inside "known".
"""

from __future__ import annotations

from realtime_agent.language.vocabulary import Vocabulary


def phrase_positions(words: list[str], phrases: tuple[str, ...]) -> list[tuple[int, str]]:
    """(word index, phrase) for every occurrence of any phrase in ``words``."""
    found: list[tuple[int, str]] = []
    for phrase in phrases:
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts:
                found.append((i, phrase))
    return sorted(found)


def phrase_spans(words: list[str], phrases: tuple[str, ...]) -> list[range]:
    """The word ranges where any of ``phrases`` occurs, in order of position.

    Args:
        words: Plain lower-case words (``text.plain_words``).
        phrases: Phrases of a cue group.

    Returns:
        One ``range`` of word indices per occurrence.
    """
    return [range(i, i + len(phrase.split())) for i, phrase in phrase_positions(words, phrases)]


def has_phrase(words: list[str], vocab: Vocabulary, group: str) -> bool:
    """True if any phrase of cue ``group`` occurs in ``words``.

    Args:
        words: Plain lower-case words (``text.plain_words``).
        vocab: Phrase tables.
        group: Cue group name, e.g. "goodbye" or "card".

    Returns:
        Whether the group is mentioned; a group the language lacks never is.
    """
    return bool(phrase_positions(words, vocab.intent_phrases.get(group, ())))
