"""The caller's yes at a read-back: one rule for bookings, cancellations, changes, requests.

``accepts`` is unit-tested on what callers say in five languages, then the policy is
replayed to show each read-back uses it: "Ja, bitte buchen" books (it asked what to change
before), "yes, but the e-mail is wrong" corrects, and "Yes please, book it, the name is
Peter Collins" after the offers starts the booking with the name kept.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.confirmations import Thing, accepts
from realtime_agent.fallback.dialogue import Ask, CallTool, Policy, Turn
from realtime_agent.fallback.nlu import Slot, understand
from realtime_agent.front_desk_requests import REQUEST_TOOL

TODAY = date(2026, 11, 25)

YES: list[tuple[str, str, Thing]] = [
    ("en", "yes please, book it", "book"),
    ("en", "yes, go ahead", "book"),
    ("en", "ok, perfect, do it", "book"),
    ("en", "yes, cancel it", "cancel"),
    ("en", "yes, send it", "send"),
    ("de", "Ja, bitte buchen", "book"),
    ("de", "Bitte buchen", "book"),
    ("de", "ja, stornieren Sie", "cancel"),
    ("de", "passt", "change"),
    ("fr", "oui, réservez-la", "book"),
    ("fr", "oui, annulez", "cancel"),
    ("fr", "d'accord", "send"),
    ("es", "sí, resérvela", "book"),
    ("es", "sí, cancélela", "cancel"),
    ("es", "vale", "change"),
    ("it", "sì, la prenoti", "book"),
    ("it", "sì, la cancelli", "cancel"),
    ("it", "va bene", "send"),
]
NOT_YES: list[tuple[str, str, Thing]] = [
    ("en", "yes but the e-mail is wrong", "book"),
    ("en", "yes, cancel it", "book"),  # the verb of another thing
    ("en", "yes, and what time is breakfast?", "book"),  # answered first, then read back
    ("en", "yes, put me through to reception", "send"),
    ("en", "4111 1111 1111 1111", "book"),  # card digits are never a yes
    ("en", "thank you", "book"),
    ("en", "no, keep it", "cancel"),
    ("de", "ja, aber die E-Mail ist falsch", "book"),
    ("de", "nein, lieber nicht", "cancel"),
    ("fr", "oui mais le nom est faux", "book"),
    ("es", "sí, pero el correo está mal", "book"),
    ("it", "sì, ma l'email è sbagliata", "book"),
]


def _accepts(language: str, said: str, thing: Thing | None) -> bool:
    return accepts(understand(said, today=TODAY, language=language), said, language, thing)


@pytest.mark.parametrize(("language", "said", "thing"), YES)
def test_a_yes_with_the_verb_of_what_was_read_back_is_a_yes(
    language: str, said: str, thing: Thing
) -> None:
    assert _accepts(language, said, thing)
    assert _accepts(language, said, None)  # the receptionist, not knowing the thing


@pytest.mark.parametrize(("language", "said", "thing"), NOT_YES)
def test_a_no_a_correction_or_another_wish_is_not_a_yes(
    language: str, said: str, thing: Thing
) -> None:
    assert not _accepts(language, said, thing)


# -- The policy, replayed -----------------------------------------------------------------

OFFERS = ("Standard Double", "Superior King", "Family Room")
AVAILABILITY = json.dumps(
    {
        "arrival": "2026-12-12",
        "departure": "2026-12-14",
        "nights": 2,
        "adults": 2,
        "children": 0,
        "offers": [
            {"room_type": name, "total_minor": 30000 + n * 5000, "currency": "EUR"}
            for n, name in enumerate(OFFERS)
        ],
        "more_offers": [],
    }
)
READ_BACK = json.dumps({"booked": False, "needs_confirmation": True})
ASK = {
    "en": "a room for two adults from december 12 to december 14",
    "de": "ein Zimmer für zwei Erwachsene vom 12. Dezember bis zum 14. Dezember",
    "fr": "une chambre pour deux adultes du 12 décembre au 14 décembre",
    "es": "una habitación para dos adultos del 12 de diciembre al 14 de diciembre",
    "it": "una camera per due adulti dal 12 dicembre al 14 dicembre",
}
BOOK_WITH_NAME = {
    "en": "Yes please, book it, the name is Peter Collins",
    "de": "Ja bitte, buchen Sie es, der Name ist Peter Collins",
    "fr": "Oui, réservez-la, au nom de Peter Collins",
    "es": "Sí, resérvela, a nombre de Peter Collins",
    "it": "Sì, la prenoti, il nome è Peter Collins",
}
DETAILS = {  # the room, the e-mail, yes to it, the caller's own number, no requests
    "en": ["the first one", "peter at example dot com", "yes", "yes", "no thanks"],
    "de": ["das Doppelzimmer", "peter at example punkt com", "ja", "ja", "nein danke"],
}


def _offered(language: str) -> list[Turn]:
    return [
        Turn("caller", ASK[language]),
        Turn("tool", AVAILABILITY, tool_name="check_availability"),
    ]


@pytest.mark.parametrize("language", sorted(BOOK_WITH_NAME))
def test_yes_book_it_with_the_name_after_the_offers_starts_the_booking(language: str) -> None:
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    turns = [*_offered(language), Turn("caller", BOOK_WITH_NAME[language])]
    reply = policy.reply(turns)
    replies = policy.replies_in(language)
    assert reply.action == Ask(replies.ask_room(OFFERS), Slot.ROOM)  # three offered: which?
    assert reply.state.booking is not None
    assert (reply.state.booking.first_name, reply.state.booking.last_name) == ("Peter", "Collins")


def _read_back(policy: Policy, language: str) -> list[Turn]:
    turns = [*_offered(language), Turn("caller", BOOK_WITH_NAME[language])]
    turns += [Turn("caller", said) for said in DETAILS[language]]
    action = policy.respond(turns)
    assert isinstance(action, CallTool)
    assert action.name == "book_room"
    assert action.arguments["last_name"] == "Collins"  # the name said in the first turn
    return [*turns, Turn("tool", READ_BACK, tool_name="book_room")]


@pytest.mark.parametrize(("language", "yes"), [("de", "Ja, bitte buchen"), ("en", "yes, go ahead")])
def test_yes_with_the_booking_verb_at_the_read_back_books(language: str, yes: str) -> None:
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    turns = _read_back(policy, language)
    first = policy.respond(turns[:-1])
    assert policy.respond([*turns, Turn("caller", yes)]) == first  # the same call: it books


def test_yes_but_a_correction_at_the_read_back_books_nothing() -> None:
    policy = Policy(HOTEL, TODAY, "en", detect_language=False)
    turns = _read_back(policy, "en")
    action = policy.respond([*turns, Turn("caller", "yes but the e-mail is wrong")])
    assert action == Ask(policy.replies.ask_email, Slot.EMAIL)


REQUEST_READ_BACK = json.dumps(
    {"recorded": False, "needs_confirmation": True, "category": "taxi", "callback_spoken": ""}
)


@pytest.mark.parametrize(
    ("said", "passed_on"),
    [("yes, send it", True), ("yes please", True), ("yes, but the number is wrong", False)],
)
def test_a_request_is_passed_on_only_after_a_clean_yes(said: str, passed_on: bool) -> None:
    policy = Policy(HOTEL, TODAY, "en", detect_language=False)
    turns = [
        Turn("caller", "could you book me a taxi to the airport tomorrow at six"),
        Turn("caller", "yes, take a request"),
        Turn("caller", "yes, the number I am calling from"),
    ]
    asked = policy.respond(turns)
    assert isinstance(asked, CallTool)
    assert asked.name == REQUEST_TOOL
    turns += [Turn("tool", REQUEST_READ_BACK, tool_name=REQUEST_TOOL), Turn("caller", said)]
    assert (policy.respond(turns) == asked) is passed_on
