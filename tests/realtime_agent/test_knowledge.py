"""The hotel's knowledge base in the dialogue: what matches a question, what the fallback
policy does with a matched and an unmatched question, and the limits of an entry."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from hotelvoice.contracts.hotels import HotelSettings
from hotelvoice.contracts.knowledge import MAX_ANSWER_WORDS, KnowledgeEntry
from hotelvoice.hotels.demo import demo_knowledge
from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.actions import Ask, CallTool, Transfer
from realtime_agent.fallback.dialogue import Policy, Turn
from realtime_agent.fallback.replies import replies_for
from realtime_agent.knowledge import (
    find_answers,
    fixed_topic,
    knowledge_result,
    knowledge_unknown_result,
)
from realtime_agent.language import SUPPORTED_LANGUAGES

TODAY = date(2026, 12, 6)
ENTRIES = demo_knowledge()
KNOWING_HOTEL = HOTEL.model_copy(update={"knowledge": ENTRIES})


def best(question: str, language: str) -> str | None:
    found = find_answers(ENTRIES, question, language)
    return found[0].entry.id if found else None


@pytest.mark.parametrize(
    ("language", "question", "entry"),
    [
        ("fr", "je voudrais savoir comment venir depuis la gare", "directions-station"),
        ("fr", "pour venir de la gare, je fais comment ?", "directions-station"),
        ("de", "Wie komme ich vom Hauptbahnhof zu Ihnen?", "directions-station"),
        ("en", "How do I get to you from the airport?", "directions-airport"),
        ("es", "¿Cómo llego desde el aeropuerto?", "directions-airport"),
        ("en", "Can I check out late?", "late-checkout"),
        ("it", "Posso lasciare la camera più tardi domenica?", "late-checkout"),
        ("de", "Kann ich mein Gepäck nach dem Auschecken dalassen?", "luggage-storage"),
        ("it", "A che ora chiude il ristorante?", "restaurant-hours"),
        ("es", "¿Tienen spa?", "spa-hours"),
    ],
)
def test_a_question_finds_the_entry_that_answers_it(language, question, entry):
    assert best(question, language) == entry


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("fr", "comment venir depuis le port"),  # shares "comment venir depuis", not the place
        ("en", "what time is check-out"),  # the fixed topic, not late check-out
        ("en", "is there a swimming pool"),
        ("de", "Haben Sie einen Pool?"),
    ],
)
def test_a_question_nothing_answers_matches_nothing(language, question):
    assert find_answers(ENTRIES, question, language) == []


def test_only_the_callers_language_is_matched():
    french_only = [e.model_copy(update={"questions": {"fr": e.questions["fr"]}}) for e in ENTRIES]
    assert find_answers(french_only, "how do I get there from the station", "en") == []
    assert best("how do I get there from the station", "en") == "directions-station"


def test_every_demo_entry_is_answered_in_every_language_and_found_by_its_own_variants():
    assert len(ENTRIES) >= 10
    for entry in ENTRIES:
        assert set(entry.answers) == set(SUPPORTED_LANGUAGES), entry.id
        for language, variants in entry.questions.items():
            for variant in variants:
                assert best(variant, language) == entry.id, (entry.id, language, variant)


def test_the_tool_result_carries_the_answer_in_the_callers_language_and_unknown_is_honest():
    found = find_answers(ENTRIES, "comment venir depuis la gare", "fr-CH")
    result = json.loads(knowledge_result(found, "fr-CH"))
    assert result["entry"] == "directions-station"
    assert result["answer"].startswith("Depuis la gare centrale")
    unknown = json.loads(knowledge_unknown_result())
    assert unknown["known"] is False
    assert "answer" not in unknown


def test_a_question_no_entry_answers_may_still_be_a_fixed_topic():
    assert fixed_topic("Where can I park my car?", "en") == "parking"
    assert fixed_topic("Is there a casino nearby?", "en") is None


def policy() -> Policy:
    return Policy(KNOWING_HOTEL, TODAY)


def test_the_fallback_asks_the_tool_with_the_callers_question():
    text = "Bonjour, je voudrais savoir comment venir depuis la gare"
    action = policy().respond([Turn("caller", text)])
    assert action == CallTool("get_hotel_info", {"question": text})


def test_a_complete_match_wins_over_the_broader_fixed_topic_and_a_bare_topic_stays_a_topic():
    late = policy().respond([Turn("caller", "Is a late check-out possible?")])
    assert late == CallTool("get_hotel_info", {"question": "Is a late check-out possible?"})
    plain = policy().respond([Turn("caller", "What time is check-out?")])
    assert plain == CallTool("get_hotel_info", {"topic": "check_out"})


def test_a_question_about_something_the_hotel_offers_is_no_request_but_booking_it_is():
    asked = policy().respond([Turn("caller", "Do you have a spa?")])
    assert asked == CallTool("get_hotel_info", {"question": "Do you have a spa?"})
    booked = policy().respond([Turn("caller", "Can you book me a spa massage?")])
    assert not isinstance(booked, CallTool) or booked.name != "get_hotel_info"


def test_an_unknown_question_is_answered_honestly_and_yes_puts_the_caller_through():
    question = Turn("caller", "Is there a casino near the hotel?")
    assert policy().respond([question]) == CallTool("get_hotel_info", {"question": question.text})
    answered = [question, Turn("tool", knowledge_unknown_result(), "get_hotel_info")]
    said = policy().respond(answered)
    assert said == Ask(replies_for(KNOWING_HOTEL, "en").line("knowledge_unknown"))
    assert "front desk" in said.text
    transfer = policy().respond([*answered, Turn("caller", "yes please")])
    assert isinstance(transfer, Transfer)
    assert transfer.reason == "caller_request"


@pytest.mark.parametrize("text", ["what?", "Hello, how are you?", "Bonjour, comment allez-vous ?"])
def test_small_talk_and_a_bare_what_are_not_questions_to_refer(text):
    action = policy().respond([Turn("caller", text)])
    assert not isinstance(action, CallTool)


def test_a_matched_answer_is_spoken_from_the_tool_result():
    turns = [
        Turn("caller", "Salve, avete una palestra?"),
        Turn(
            "tool",
            knowledge_result(find_answers(ENTRIES, "avete una palestra", "it"), "it"),
            "get_hotel_info",
        ),
    ]
    said = policy().respond(turns)
    assert isinstance(said, Ask)
    assert said.text.startswith("La nostra palestra al primo piano")


def entry(**fields) -> dict:
    return {
        "id": "spa",
        "questions": {"en": ["is there a spa"]},
        "answers": {"en": "Yes."},
    } | fields


@pytest.mark.parametrize(
    "fields",
    [
        {"answers": {"en": " ".join(["word"] * (MAX_ANSWER_WORDS + 1))}},
        {"answers": {"nl": "Ja."}, "questions": {}},
        {"answers": {"de": "Ja."}},  # English questions without an English answer
        {"questions": {}},  # neither questions nor a topic: nobody could find it
        {"id": "Spa Hours"},
        {"topic": "sauna"},
    ],
)
def test_an_entry_outside_its_limits_is_refused(fields):
    with pytest.raises(ValidationError):
        KnowledgeEntry.model_validate(entry(**fields))


def test_the_former_facts_become_topic_entries_and_a_topic_is_answered_once():
    settings = HotelSettings(
        dialled_numbers=["+493055500000"],
        front_desk="+493055501000",
        facts={"de": {"pets": "Hunde willkommen."}, "en": {"pets": "Dogs welcome."}},
    )
    (pets,) = settings.knowledge
    assert (pets.id, pets.topic, pets.answers["en"]) == ("pets", "pets", "Dogs welcome.")
    twice = [entry(id="a", topic="pets"), entry(id="b", topic="pets")]
    with pytest.raises(ValidationError, match="same topic"):
        HotelSettings(dialled_numbers=["+493055500000"], front_desk="+4930555", knowledge=twice)
