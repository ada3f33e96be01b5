"""Booking words in five languages: spoken e-mails, the room chosen, the field to change,
and the policy's booking steps replayed from the conversation alone."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.booking_words import (
    choose_room,
    named_field,
    parse_email,
    wants_to_book,
)
from realtime_agent.fallback.dialogue import Ask, CallTool, Policy, Turn
from realtime_agent.fallback.nlu import Slot

OFFERS = ("Standard Double", "Superior King", "Family Room")


@pytest.mark.parametrize(
    ("language", "said", "email"),
    [
        ("en", "peter dot collins at example dot com", "peter.collins@example.com"),
        ("en", "sure, my email is anna underscore smith at gmail dot com", "anna_smith@gmail.com"),
        ("en", "p e t e r two at g m x dot d e", "peter2@gmx.de"),
        ("en", "It's Peter.Collins@Example.com", "peter.collins@example.com"),
        ("de", "peter punkt collins at example punkt com", "peter.collins@example.com"),
        ("de", "Meine E-Mail ist anna bindestrich maier at web punkt d e", "anna-maier@web.de"),
        ("fr", "peter point collins arobase example point com", "peter.collins@example.com"),
        ("fr", "c'est jean tiret bas paul arobase orange point fr", "jean_paul@orange.fr"),
        ("es", "peter punto collins arroba example punto com", "peter.collins@example.com"),
        ("es", "sí, mi correo es pedro guion bajo ruiz arroba mail punto es", "pedro_ruiz@mail.es"),
        ("it", "peter punto collins chiocciola example punto it", "peter.collins@example.it"),
        ("it", "il mio indirizzo e mail è marco tre chiocciola tin punto it", "marco3@tin.it"),
    ],
)
def test_spoken_emails_are_written_as_addresses(language: str, said: str, email: str) -> None:
    assert parse_email(said, language) == email


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "peter collins"),
        ("en", "at example dot com"),
        ("de", "peter punkt collins"),
        ("fr", "peter arobase example"),
        ("es", "no lo sé"),
        ("it", "peter chiocciola chiocciola example punto it"),
    ],
)
def test_no_address_is_made_up_from_half_an_email(language: str, said: str) -> None:
    assert parse_email(said, language) is None


@pytest.mark.parametrize(
    ("language", "said", "room"),
    [
        ("en", "I'll take the double", "Standard Double"),
        ("en", "the family room please", "Family Room"),
        ("en", "the cheapest", "Standard Double"),
        ("en", "the second one", "Superior King"),
        ("de", "ich nehme das Doppelzimmer", "Standard Double"),
        ("de", "das Familienzimmer", "Family Room"),
        ("fr", "je prends la chambre double", "Standard Double"),
        ("fr", "la deuxième", "Superior King"),
        ("es", "reservo la doble", "Standard Double"),
        ("es", "la más barata", "Standard Double"),
        ("it", "prendo la doppia", "Standard Double"),
        ("it", "la terza", "Family Room"),
    ],
)
def test_the_room_is_chosen_by_name_or_place(language: str, said: str, room: str) -> None:
    assert choose_room(said, language, OFFERS) == room


def test_a_room_word_of_no_offer_or_of_several_chooses_nothing() -> None:
    assert choose_room("la prendo", "it", OFFERS) is None
    assert choose_room("the suite", "en", OFFERS) is None


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "book it"),
        ("en", "I'll take the double"),
        ("de", "ich nehme das Doppelzimmer"),
        ("fr", "je prends la chambre double"),
        ("es", "reservo la doble"),
        ("it", "la prendo"),
    ],
)
def test_the_wish_to_book_is_heard(language: str, said: str) -> None:
    assert wants_to_book(said, language)


def test_the_field_to_change_is_named() -> None:
    assert named_field("no, the e-mail is wrong", "en") == "email"
    assert named_field("der Name stimmt nicht", "de") == "name"
    assert named_field("le numéro de téléphone", "fr") == "phone"
    assert named_field("la habitación", "es") == "room"
    assert named_field("il cognome", "it") == "name"


# -- The policy, replayed -----------------------------------------------------------------

TODAY = date(2026, 11, 25)
AVAILABILITY = json.dumps(
    {
        "arrival": "2026-12-12",
        "departure": "2026-12-14",
        "nights": 2,
        "adults": 2,
        "children": 0,
        "offers": [
            {"room_type": name, "total_minor": 30000 + n, "currency": "EUR"}
            for n, name in enumerate(OFFERS)
        ],
        "more_offers": [],
    }
)
READ_BACK = json.dumps({"booked": False, "needs_confirmation": True})


ASK = {
    "en": "a room for two adults from december 12 to december 14",
    "de": "Haben Sie ein Zimmer für zwei Erwachsene vom 12. Dezember bis zum 14. Dezember?",
}


def booking_turns(*lines: str, language: str = "en") -> list[Turn]:
    turns = [
        Turn("caller", ASK[language]),
        Turn("tool", AVAILABILITY, tool_name="check_availability"),
    ]
    return turns + [Turn("caller", line) for line in lines]


def test_the_policy_collects_every_field_across_turns_then_calls_book_room() -> None:
    policy = Policy(HOTEL, TODAY)
    replies = policy.replies
    turns = booking_turns("book it")
    assert policy.respond(turns) == Ask(replies.ask_room(OFFERS), Slot.ROOM)
    turns += [Turn("caller", "the first one")]
    assert policy.respond(turns) == Ask(replies.ask_guest_name, Slot.GUEST_NAME)
    turns += [Turn("caller", "Collins")]
    assert policy.respond(turns) == Ask(replies.ask_first_name, Slot.FIRST_NAME)
    turns += [Turn("caller", "Peter")]
    assert policy.respond(turns) == Ask(replies.ask_email, Slot.EMAIL)
    turns += [Turn("caller", "my card number is 4111 1111 1111 1111")]
    refused = policy.respond(turns)
    assert refused == Ask(f"{replies.refuse_card_details} {replies.ask_email}", Slot.EMAIL)
    turns += [Turn("caller", "peter at example dot com")]
    read_email = replies.confirm_email("peter@example.com")
    assert policy.respond(turns) == Ask(read_email, Slot.EMAIL_CONFIRM)
    turns += [Turn("caller", "yes")]
    assert policy.respond(turns) == Ask(replies.ask_phone_default, Slot.PHONE_SAME)
    turns += [Turn("caller", "no")]
    assert policy.respond(turns) == Ask(replies.ask_phone, Slot.PHONE)
    turns += [Turn("caller", "plus four four seven seven zero zero nine zero zero one two three")]
    assert policy.respond(turns) == Ask(replies.ask_notes, Slot.NOTES)
    turns += [Turn("caller", "a cot for the baby please")]
    arguments = {
        "room": "Standard Double",
        "first_name": "Peter",
        "last_name": "Collins",
        "email": "peter@example.com",
        "phone": "+447700900123",
        "notes": "a cot for the baby please",
    }
    assert policy.respond(turns) == CallTool("book_room", arguments)
    turns += [Turn("tool", READ_BACK, tool_name="book_room"), Turn("caller", "yes")]
    assert policy.respond(turns) == CallTool("book_room", arguments)


def test_a_no_at_the_read_back_asks_what_to_change_and_reads_back_again() -> None:
    policy = Policy(HOTEL, TODAY, "de")
    replies = policy.replies_in("de")
    turns = booking_turns(
        "Ich nehme das Doppelzimmer",
        "Peter Collins",
        "peter punkt collins at example punkt com",
        "ja",  # the address read back is right
        "ja",  # the number I am calling from
        "nein danke",  # no special requests
        language="de",
    )
    first = policy.respond(turns)
    assert isinstance(first, CallTool)
    turns += [Turn("tool", READ_BACK, tool_name="book_room"), Turn("caller", "nein")]
    assert policy.respond(turns) == Ask(replies.ask_correction, Slot.BOOKING_CHANGE)
    turns += [Turn("caller", "die E-Mail")]
    assert policy.respond(turns) == Ask(replies.ask_email, Slot.EMAIL)
    turns += [Turn("caller", "anna punkt collins at example punkt de")]
    read_email = replies.confirm_email("anna.collins@example.de")
    assert policy.respond(turns) == Ask(read_email, Slot.EMAIL_CONFIRM)
    turns += [Turn("caller", "ja")]
    again = policy.respond(turns)
    assert again == CallTool("book_room", first.arguments | {"email": "anna.collins@example.de"})
    assert first.arguments["notes"] == ""


def test_an_email_read_back_wrong_is_asked_again_and_a_new_one_read_back() -> None:
    policy = Policy(HOTEL, TODAY)
    replies = policy.replies
    turns = booking_turns("the first one", "Peter Collins", "peter at example dot com")
    read_email = replies.confirm_email("peter@example.com")
    assert policy.respond(turns) == Ask(read_email, Slot.EMAIL_CONFIRM)
    assert policy.respond([*turns, Turn("caller", "no")]) == Ask(replies.ask_email, Slot.EMAIL)
    corrected = [*turns, Turn("caller", "no, it is peter dot collins at example dot com")]
    read_again = replies.confirm_email("peter.collins@example.com")
    assert policy.respond(corrected) == Ask(read_again, Slot.EMAIL_CONFIRM)


def test_no_thanks_to_the_offer_to_book_is_no_goodbye() -> None:
    policy = Policy(HOTEL, TODAY)
    assert policy.respond(booking_turns("no")) == Ask(policy.replies.what_else)
    # A new stay after the offers is checked, not booked.
    again = policy.respond(booking_turns("and from december 20 to december 22?"))
    assert isinstance(again, CallTool)
    assert again.name == "check_availability"


def test_three_answers_that_fill_nothing_offer_the_front_desk() -> None:
    policy = Policy(HOTEL, TODAY)
    turns = booking_turns("I'll take the double", "Peter Collins")
    assert policy.respond(turns) == Ask(policy.replies.ask_email, Slot.EMAIL)
    turns += [Turn("caller", "hmm"), Turn("caller", "what")]
    assert policy.respond(turns) == Ask(policy.replies.ask_email, Slot.EMAIL)
    turns += [Turn("caller", "er")]
    assert policy.respond(turns) == Ask(policy.replies.offer_front_desk)


@pytest.mark.parametrize(
    ("answer", "notes"),
    [
        ("no thanks", ""),
        ("no, we're fine", ""),
        ("no, but we will arrive late", "no, but we will arrive late"),
        ("a cot for the baby please", "a cot for the baby please"),
    ],
)
def test_special_requests_are_optional_and_taken_as_said(answer: str, notes: str) -> None:
    policy = Policy(HOTEL, TODAY)
    turns = booking_turns("the first one", "Peter Collins", "peter at example dot com", "yes")
    assert policy.respond([*turns, Turn("caller", "yes")]) == Ask(
        policy.replies.ask_notes, Slot.NOTES
    )
    action = policy.respond([*turns, Turn("caller", "yes"), Turn("caller", answer)])
    assert isinstance(action, CallTool)
    assert action.name == "book_room"
    assert action.arguments["notes"] == notes


def test_a_question_instead_of_a_request_is_answered_not_noted() -> None:
    policy = Policy(HOTEL, TODAY)
    turns = booking_turns("the first one", "Peter Collins", "peter at example dot com", "yes")
    asked = [*turns, Turn("caller", "yes"), Turn("caller", "is breakfast included?")]
    action = policy.respond(asked)
    assert isinstance(action, CallTool)
    assert action.name == "get_hotel_info"
    info = '{"topic": "breakfast", "answer": "Included."}'
    answered = [*asked, Turn("tool", info, tool_name="get_hotel_info")]
    # The details given so far stay: "book it" goes on with the question left open.
    again = policy.respond([*answered, Turn("caller", "ok, book it")])
    assert again == Ask(policy.replies.ask_notes, Slot.NOTES)
