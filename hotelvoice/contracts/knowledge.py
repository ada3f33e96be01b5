"""A hotel's knowledge base: what the receptionist may tell any caller, in the hotel's words.

Real PMSes keep rooms and guests, not how to get from the station or when the spa opens, so
these answers live in hotelvoice's own hotel configuration (``HotelSettings.knowledge``) and
admins edit them through the API. Each entry is one thing a caller may ask: the ways callers
ask it (question variants, per language) and the answer (per language). Both dialogue
engines answer only from here, and refer a question nothing here answers to the front desk,
so the receptionist never invents a fact.

The nine fixed topics of ``get_hotel_info`` (check-in, parking …) are entries too: an entry
with a ``topic`` answers that topic, and the former per-language ``facts`` of a configuration
become such entries when it is read (:func:`entries_from_facts`): one source of truth.

The limits keep a whole configuration inside one DynamoDB item (400 KB) and every answer
phone-sized: at most :data:`MAX_ANSWER_WORDS` words, so that the answer and a short
follow-up question stay within the 40 words a reply may have.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SUPPORTED_LANGUAGES = ("en", "de", "fr", "es", "it")
Language = Literal["en", "de", "fr", "es", "it"]
"""The languages a hotel can offer callers (``realtime_agent.language`` speaks the same)."""

HotelTopic = Literal[
    "check_in",
    "check_out",
    "breakfast",
    "parking",
    "pets",
    "wifi",
    "cancellation",
    "address",
    "phone",
]
"""The fixed topics a caller may ask about (the receptionist's ``get_hotel_info`` topics)."""

KnowledgeCategory = Literal[
    "arrival",
    "stay",
    "dining",
    "wellness",
    "services",
    "accessibility",
    "parking",
    "pets",
    "policies",
    "nearby",
    "other",
]
"""What an entry is about, for the admin's overview (the receptionist does not need it)."""

ENTRY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_ENTRIES = 60
MAX_QUESTIONS_PER_LANGUAGE = 10
MAX_ANSWER_WORDS = 32
"""An answer is followed by "Anything else I can help with?" (up to eight words)."""
MAX_KNOWLEDGE_BYTES = 150_000
"""The whole knowledge base as JSON (UTF-8): a configuration is one DynamoDB item."""

EntryId = Annotated[str, StringConstraints(pattern=ENTRY_ID_PATTERN)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=160)]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


class KnowledgeContent(BaseModel):
    """One thing callers ask, as an admin writes it (``PUT …/knowledge/{entry_id}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: KnowledgeCategory = "other"
    topic: HotelTopic | None = None
    """The fixed topic this entry answers (``parking``), if any; one entry per topic."""
    questions: dict[Language, list[Question]] = Field(default_factory=dict)
    """How callers ask it, per language: ``{"fr": ["comment venir depuis la gare"]}``. The
    fallback policy matches a caller's words against these; an entry with a ``topic`` is
    also found by that topic's words and may leave them out."""
    answers: dict[Language, Answer] = Field(min_length=1)
    """The answer per language, as the receptionist says it on the phone."""

    @field_validator("questions")
    @classmethod
    def _few_questions(cls, questions: dict[str, list[str]]) -> dict[str, list[str]]:
        for language, variants in questions.items():
            if len(variants) > MAX_QUESTIONS_PER_LANGUAGE:
                raise ValueError(
                    f"at most {MAX_QUESTIONS_PER_LANGUAGE} questions per language ({language})"
                )
        return {language: variants for language, variants in questions.items() if variants}

    @field_validator("answers")
    @classmethod
    def _phone_sized(cls, answers: dict[str, str]) -> dict[str, str]:
        for language, answer in answers.items():
            if len(answer.split()) > MAX_ANSWER_WORDS:
                raise ValueError(
                    f"the {language} answer has more than {MAX_ANSWER_WORDS} words; "
                    "a phone answer says one thing briefly"
                )
        return answers

    @model_validator(mode="after")
    def _findable(self) -> Self:
        if self.topic is None and not self.questions:
            raise ValueError("an entry without a topic needs at least one question")
        unanswered = sorted(set(self.questions) - set(self.answers))
        if unanswered:
            raise ValueError(f"questions without an answer in: {', '.join(unanswered)}")
        return self

    def answer_in(self, language: str) -> str | None:
        """The answer in ``language`` (a region is ignored), else in English, else None."""
        base = language.lower().replace("_", "-").split("-", 1)[0]
        return self.answers.get(base) or self.answers.get("en")


class KnowledgeEntry(KnowledgeContent):
    """One stored entry of a hotel's knowledge base."""

    id: EntryId


class KnowledgeEntryUpdate(KnowledgeContent):
    """The body of ``PUT …/knowledge/{entry_id}``: an entry, its ``id`` optional.

    An entry as ``GET`` listed it can be written back unchanged; an ``id`` that is not the
    path's is a 400, never a rename.
    """

    id: EntryId | None = None


def check_knowledge(entries: list[KnowledgeEntry]) -> list[KnowledgeEntry]:
    """A whole knowledge base: unique ids, one entry per topic, inside the size bound."""
    if len(entries) > MAX_ENTRIES:
        raise ValueError(f"at most {MAX_ENTRIES} knowledge entries")
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("a knowledge entry id is listed twice")
    topics = [e.topic for e in entries if e.topic is not None]
    if len(set(topics)) != len(topics):
        raise ValueError("two knowledge entries answer the same topic")
    size = sum(len(e.model_dump_json().encode()) for e in entries)
    if size > MAX_KNOWLEDGE_BYTES:
        raise ValueError(f"the knowledge base is larger than {MAX_KNOWLEDGE_BYTES} bytes")
    return entries


_TOPIC_CATEGORIES = {
    "check_in": "stay",
    "check_out": "stay",
    "breakfast": "dining",
    "parking": "parking",
    "pets": "pets",
    "wifi": "services",
    "cancellation": "policies",
    "address": "arrival",
}


def entries_from_facts(data: Any) -> Any:
    """A configuration's former ``facts`` (language -> topic -> text) as knowledge entries.

    Configurations written before the knowledge base keep working: each topic becomes the
    entry of that topic (id = topic), unless the knowledge base already answers it. Used
    as a ``before`` validator, so ``data`` is whatever was sent or stored.
    """
    if not isinstance(data, dict) or "facts" not in data:
        return data
    data = dict(data)
    facts = data.pop("facts") or {}
    if not isinstance(facts, dict):
        raise ValueError("facts must map a language to topics")
    knowledge = data.get("knowledge") or []
    if not isinstance(knowledge, list):
        raise ValueError("knowledge must be a list of entries")
    knowledge = list(knowledge)
    # anything else in the list is left for the entries' own validation to refuse
    answered = {
        e.topic if isinstance(e, KnowledgeEntry) else e.get("topic")
        for e in knowledge
        if isinstance(e, KnowledgeEntry | dict)
    }
    by_topic: dict[str, dict[str, Any]] = {}
    for language, topics in facts.items():
        if not isinstance(topics, dict):
            raise ValueError("facts must map a language to topics")
        for topic, text in topics.items():
            by_topic.setdefault(topic, {})[language] = text
    for topic, answers in by_topic.items():
        if topic not in answered:
            category = _TOPIC_CATEGORIES.get(topic, "other")
            entry = {"id": topic, "category": category, "topic": topic, "answers": answers}
            knowledge.append(entry)
    data["knowledge"] = knowledge
    return data
