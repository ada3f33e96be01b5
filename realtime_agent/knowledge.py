"""Finding the answer to a caller's question in the hotel's knowledge base.

Both dialogue engines use this: the LLM through ``get_hotel_info(question=…)``, the
fallback policy before it calls that tool. The match is plain word overlap, so it is
deterministic, explainable to an admin ("add this way of asking as a question variant") and
never produces an answer the hotel did not write:

- the caller's words and every question variant become stems (accent-folded words without
  the language's filler words, at most six letters, so "restaurants" meets "restaurant");
- a stem that many entries share ("how", "get") weighs less than one only this entry has
  ("station", "spa");
- a variant matches when the question holds at least half of its weight *and* its rarest
  stems (all of those used by the fewest entries): "comment venir depuis le port" does
  not match "comment venir depuis l'aéroport".

Python stays language-neutral: the filler words and the cues of a question are the
language's ``knowledge.json`` catalog (``realtime_agent/language/catalogs/README.md``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from livekit.agents import ToolError

from hotelvoice.contracts.knowledge import KnowledgeEntry
from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.intents import detect_topics
from realtime_agent.fallback.replies import replies_for
from realtime_agent.language import CATALOGS, base_language, catalog
from realtime_agent.language.text import plain_words
from realtime_agent.language.vocabularies import vocabulary
from realtime_agent.tool_results import hotel_info_result

MIN_SCORE = 0.5
"""Share of a variant's weight the question must hold."""
STEM_LETTERS = 6
MAX_MATCHES = 3
"""At most this many entries go back to an LLM (the fallback says only the best)."""


@dataclass(frozen=True)
class KnowledgeMatch:
    """An entry that answers the question, and how well.

    Attributes:
        entry: The matching entry.
        score: The weighted share (0 to 1) of its best variant's stems the question holds.
        complete: The question holds every stem of that variant: a specific question
            ("late check-out") that wins over a broader fixed topic ("check-out").
    """

    entry: KnowledgeEntry
    score: float
    complete: bool
    strength: float = 0.0
    """The weight of the stems the question shares with the variant: of two full matches,
    the one that shares more ("how much is the airport transfer") is meant."""

    def rank(self) -> tuple[float, float]:
        """Better matches rank higher: the share first, then the strength."""
        return (self.score, self.strength)


@dataclass(frozen=True)
class _Words:
    """A language's words for matching, from its ``knowledge.json`` catalog."""

    fillers: frozenset[str]
    question_cues: tuple[str, ...]
    request_cues: tuple[str, ...]


@cache
def _words(language: str) -> _Words:
    """The catalog of ``language``; a language without one matches on every word."""
    if not (CATALOGS / language / "knowledge.json").exists():
        return _Words(frozenset(), (), ())
    data = catalog(language, "knowledge")
    return _Words(
        frozenset(data.get("fillers", ())),
        tuple(data.get("question_cues", ())),
        tuple(data.get("request_cues", ())),
    )


@lru_cache(maxsize=8192)  # the policy replays every turn, against every variant
def stems(text: str, language: str) -> frozenset[str]:
    """The stems of ``text`` that carry meaning.

    "Comment venir depuis la gare ?" -> {"commen", "venir", "gare"}: fillers such as
    "depuis" and "la" are dropped, long words cut to :data:`STEM_LETTERS` letters.
    """
    fillers = _words(language).fillers
    words = plain_words(text, language=language)
    return frozenset(w[:STEM_LETTERS] for w in words if w not in fillers)


def is_question(text: str, language: str) -> bool:
    """The caller asks something ("do you have", "gibt es", "?").

    As opposed to a request or an answer: an unanswerable *question* gets "I don't know",
    not "I didn't catch that".
    """
    if "?" in text:
        return True
    return _says_any(text, language, _words(language).question_cues)


def asks_about_something(text: str, language: str) -> bool:
    """A question with a subject: "is there a casino?", not "hello, how are you?".

    The subject is a word that is neither a filler nor a question word of the language.
    """
    return is_question(text, language) and bool(stems(text, language) - _question_stems(language))


@cache
def _question_stems(language: str) -> frozenset[str]:
    """The stems of the language's one-word question cues ("was", "combien", "how")."""
    cues = _words(language).question_cues
    return frozenset(cue[:STEM_LETTERS] for cue in cues if " " not in cue)


def is_request(text: str, language: str) -> bool:
    """The caller wants something done ("book", "order", "wake me"), not only to know."""
    return _says_any(text, language, _words(language).request_cues)


def _says_any(text: str, language: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {' '.join(plain_words(text, language=language))} "
    return any(f" {phrase} " in padded for phrase in phrases)


def _variants(entry: KnowledgeEntry, language: str) -> list[frozenset[str]]:
    return [s for q in entry.questions.get(language, ()) if (s := stems(q, language))]


def find_answers(
    entries: Sequence[KnowledgeEntry], question: str, language: str
) -> list[KnowledgeMatch]:
    """The entries that answer ``question`` in ``language``, best first (at most three).

    Args:
        entries: The hotel's knowledge base.
        question: The caller's words, as heard.
        language: The caller's language ("fr", "fr-CH"): only its variants are compared.

    Returns:
        Matches with a score of at least :data:`MIN_SCORE`, best first; ties keep the
        knowledge base's order.
    """
    language = base_language(language)
    asked = stems(question, language)
    variants = {entry.id: _variants(entry, language) for entry in entries}
    cue_stems = _question_stems(language)
    # How many entries use a stem: the rarer, the more it says which entry is meant.
    used_by: dict[str, int] = {}
    for entry_variants in variants.values():
        for stem in frozenset().union(*entry_variants):
            used_by[stem] = used_by.get(stem, 0) + 1
    total = max(1, sum(1 for v in variants.values() if v))

    def weight(stem: str) -> float:
        return 1.0 + math.log(total / used_by[stem])

    matches = []
    for entry in entries:
        best: KnowledgeMatch | None = None
        for variant in variants[entry.id]:
            rarest = min(used_by[s] for s in variant)
            if any(used_by[s] == rarest and s not in asked for s in variant):
                continue  # the words that say which entry is meant were not said
            held = sum(weight(s) for s in variant & asked)
            score = held / sum(weight(s) for s in variant)
            # "wie viel kostet ein Zustellbett" holds all of "was kostet ein Zustellbett"
            # that says what is asked: the question word is one way of asking among several
            complete = variant - cue_stems <= asked
            found = KnowledgeMatch(entry, round(score, 3), complete, round(held, 3))
            if score >= MIN_SCORE and (best is None or found.rank() > best.rank()):
                best = found
        if best is not None:
            matches.append(best)
    matches.sort(key=KnowledgeMatch.rank, reverse=True)
    return matches[:MAX_MATCHES]


def best_answer(
    entries: Sequence[KnowledgeEntry], question: str, language: str
) -> KnowledgeMatch | None:
    """The one entry the fallback policy answers with, or None."""
    found = find_answers(entries, question, language)
    return found[0] if found else None


def fixed_topic(question: str, language: str) -> str | None:
    """The fixed topic (``parking``) of a question no entry matched, or None.

    Its answer may still come from the PMS's texts.
    """
    language = base_language(language)
    words = plain_words(question, language=language)
    topics = detect_topics(words, vocabulary(language), has_dates=False)
    return topics[0].value if topics else None


def knowledge_result(matches: Sequence[KnowledgeMatch], language: str) -> str:
    """``get_hotel_info``'s output for a question the knowledge base answers.

    ``answer`` is the best entry's answer in the caller's language (what the fallback
    policy says); an LLM also sees the next best in ``also``, in case the caller meant one
    of them.
    """
    best, *others = matches
    result: dict[str, object] = {
        "entry": best.entry.id,
        "answer": best.entry.answer_in(language),
        "directive": "Answer with this fact, in the caller's language; add nothing to it.",
    }
    if others:
        result["also"] = [
            {"entry": m.entry.id, "answer": m.entry.answer_in(language)} for m in others
        ]
    return json.dumps(result, ensure_ascii=False)


def knowledge_unknown_result() -> str:
    """``get_hotel_info``'s output for a question nothing in the knowledge base answers."""
    return json.dumps(
        {
            "known": False,
            "directive": (
                "Say honestly that you do not know this, and offer to put the caller through "
                "to the front desk (transfer_to_front_desk). Never guess or invent an answer."
            ),
        }
    )


_FACT_FIELDS = {
    "check_in": "check_in_from",
    "check_out": "check_out_until",
    "breakfast": "breakfast",
    "parking": "parking",
    "pets": "pets",
    "wifi": "wifi",
    "cancellation": "cancellation_policy",
    "address": "address",
    "phone": "front_desk_phone",
}
"""The PMS's own field for each fixed topic (what the hotel's knowledge base does not say)."""


def _pms_fact(hotel: HotelInfo, topic: str) -> str:
    """The PMS's text for a fixed topic, as the PMS gives it (English), or "" if it has none."""
    value = str(getattr(hotel, _FACT_FIELDS[topic], "")).strip()
    if not value:
        return ""  # connectors leave what their PMS does not keep empty
    if topic == "check_in":
        return f"Check-in is from {value}."
    if topic == "check_out":
        return f"Check-out is until {value}."
    if topic == "address":
        return f"The hotel is at {value}."
    if topic == "phone":
        return f"The front desk number is {value}."
    return value


def answer_hotel_question(
    hotel: HotelInfo, language: str, *, question: str | None = None, topic: str | None = None
) -> str:
    """``get_hotel_info``'s result: the hotel's own words first, the PMS's next, else unknown.

    The knowledge base is searched with the caller's question; failing that, the question's
    fixed topic is answered from the hotel's texts in the caller's language, then from the
    PMS. A topic neither knows is said to be unknown: the receptionist refers, never invents.

    Raises:
        ToolError: For a topic that is not one of the fixed topics (the engine's mistake).
    """
    asked = topic
    if question and question.strip():
        if found := find_answers(hotel.knowledge, question, language):
            return knowledge_result(found, language)
        asked = asked or fixed_topic(question, language)
    if asked is None:
        return knowledge_unknown_result()
    if (text := hotel.policy_text(asked, language)) is not None:
        return hotel_info_result(asked, text)
    if asked not in _FACT_FIELDS:
        raise ToolError(f"Unknown topic; use one of {', '.join(_FACT_FIELDS)}.")
    fact = _pms_fact(hotel, asked)
    return hotel_info_result(asked, fact or replies_for(hotel, language).fact_unknown)
