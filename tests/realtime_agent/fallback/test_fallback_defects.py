"""Issue 12's named defects, each pinned: children with ages, singles, weekends, several
rooms instead of "fully booked", a name kept across a corrected code, greeting-only
openings, phone-sized offers, room names and closings in the caller's language."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hotelvoice.contracts.pms import Availability, AvailabilityQuery, Money, Offer
from hotelvoice.pms.demo_hotel import HOTEL, ROOM_TYPES
from realtime_agent.booking import choose_offer
from realtime_agent.fallback.dialogue import Ask, Policy, Transfer, Turn
from realtime_agent.fallback.nlu import understand
from realtime_agent.fallback.replies import MAX_REPLY_WORDS, replies_for
from realtime_agent.language import SUPPORTED_LANGUAGES
from realtime_agent.language.speech import follow_up, room_name, speech
from realtime_agent.language_detection import CallLanguage, greeting_language
from realtime_agent.tool_results import availability_result

TODAY = date(2026, 11, 25)  # a Wednesday


def _offer(code: str, name: str, occupancy: int, units: int, total_minor: int) -> Offer:
    return Offer(
        room_type_code=code,
        room_type_name=name,
        description="",
        max_occupancy=occupancy,
        rate_plan="Flexible",
        available_units=units,
        total=Money(amount_minor=total_minor, currency="EUR"),
        breakfast_included=True,
    )


def _availability(adults: int, children: int, offers: list[Offer]) -> Availability:
    query = AvailabilityQuery(
        arrival=date(2027, 3, 6), departure=date(2027, 3, 9), adults=adults, children=children
    )
    return Availability(hotel_id="h", query=query, nights=3, offers=offers)


FOUR_OFFERS = [
    _offer("STD", "Standard Double", 4, 5, 41350),
    _offer("SUP", "Superior King", 4, 5, 54125),
    _offer("FAM", "Family Room", 4, 5, 70175),
    _offer("STE", "Junior Suite", 4, 5, 89750),
]


def test_english_guests_children_with_ages_and_a_single_room() -> None:
    u = understand("two adults and our daughter of ten", today=TODAY)
    assert (u.adults, u.children, u.children_ages) == (2, 1, (10,))
    u = understand("two adults and two kids aged 5 and 8", today=TODAY)
    assert (u.adults, u.children, u.children_ages) == (2, 2, (5, 8))
    u = understand("a single room for the night of december 22nd", today=TODAY)
    assert (u.adults, u.arrival, u.nights) == (1, date(2026, 12, 22), 1)


@pytest.mark.parametrize(
    ("text", "arrival", "departure"),
    [
        ("this weekend, the nights of saturday and sunday", "2026-11-28", "2026-11-30"),
        ("next weekend, the nights of friday and saturday", "2026-12-04", "2026-12-06"),
        ("the nights of saturday and sunday", "2026-11-28", "2026-11-30"),
        ("friday to sunday", "2026-11-27", "2026-11-29"),
        ("this weekend", "2026-11-27", "2026-11-29"),
    ],
)
def test_english_weekends(text: str, arrival: str, departure: str) -> None:
    u = understand(text, today=TODAY)
    assert (u.arrival, u.departure) == (date.fromisoformat(arrival), date.fromisoformat(departure))


def test_children_ages_reach_the_availability_check() -> None:
    turns = [Turn("caller", "a room from march 6 to 9 for two adults and our son of seven")]
    action = Policy(HOTEL, TODAY).respond(turns)
    assert action.arguments["children"] == 1
    assert action.arguments["children_ages"] == [7]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_three_offers_with_cents_and_a_child_stay_phone_sized(language: str) -> None:
    result = json.loads(availability_result(_availability(2, 1, FOUR_OFFERS), language))
    text = replies_for(HOTEL, language).tool_result("check_availability", result)
    assert len(text.split()) <= MAX_REPLY_WORDS, text
    said = [o for o in result["offers"] if o["total_spoken"] in text]
    assert said == result["offers"][: len(said)], "the cheapest come first"
    assert len(said) >= 2


def test_offers_are_cheapest_first_with_price_per_night_and_total() -> None:
    result = json.loads(availability_result(_availability(2, 0, FOUR_OFFERS[::-1]), "en"))
    text = replies_for(HOTEL, "en").tool_result("check_availability", result)
    assert text.index("Standard Double") < text.index("Superior King") < text.index("Family")
    assert "Standard Double, 413.50 euros, 138 a night" in text
    assert "I have 1 more." in text
    assert "Junior Suite" not in text


def test_no_room_holds_the_party_offers_several_rooms_never_fully_booked() -> None:
    rooms = _availability(
        1,
        0,
        [
            _offer("STD", "Standard Double", 2, 7, 38700),
            _offer("SUP", "Superior King", 3, 1, 50700),
            _offer("FAM", "Family Room", 4, 2, 65700),
        ],
    )
    result = json.loads(availability_result(_availability(6, 0, []), "en", rooms))
    assert result["offers"] == []
    assert result["largest_room_holds"] == 4
    # Two Superior Kings would be cheapest, but only one is left; three doubles are next.
    assert (result["several_rooms"]["rooms"], result["several_rooms"]["room_type"]) == (
        3,
        "Standard Double",
    )
    text = replies_for(HOTEL, "en").tool_result("check_availability", result)
    assert "largest free rooms hold 4 guests" in text
    assert "3 rooms: Standard Double, 129 euros per room a night" in text
    assert "fully booked" not in text
    turns = [
        Turn("caller", "a room for six adults from march 6 to 9"),
        Turn("tool", json.dumps(result), "check_availability"),
        Turn("caller", "yes please"),
    ]
    action = Policy(HOTEL, TODAY).respond(turns)
    assert isinstance(action, Transfer)
    assert action.reason == "caller_request"


def test_nothing_free_at_all_is_fully_booked() -> None:
    result = json.loads(availability_result(_availability(6, 0, []), "en", _availability(1, 0, [])))
    assert "several_rooms" not in result
    assert "fully booked" in replies_for(HOTEL, "en").tool_result("check_availability", result)


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_room_types_are_named_in_the_callers_language(language: str) -> None:
    for room in ROOM_TYPES:
        assert room.name in speech(language).room_types, (language, room.name)
    result = json.loads(availability_result(_availability(2, 0, FOUR_OFFERS), language))
    assert result["offers"][0]["room_type"] == room_name("Standard Double", language)
    assert result["offers"][0]["room_type"] != "Standard Double"
    # The caller (or the LLM) books by the name they heard.
    chosen = choose_offer(_availability(2, 0, FOUR_OFFERS), room_name("Family Room", language))
    assert chosen is not None
    assert chosen.room_type_code == "FAM"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_closings_vary_by_turn_in_every_language(language: str) -> None:
    variants = speech(language).follow_ups
    assert len(set(variants)) >= 2
    assert follow_up(language, 1) != follow_up(language, 2)
    replies = replies_for(HOTEL, language)
    first = replies.tool_result("get_hotel_info", {"answer": "Yes."}, 1)
    second = replies.tool_result("get_hotel_info", {"answer": "Yes."}, 2)
    assert first != second


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_a_status_is_a_sentence_not_a_database_field(language: str) -> None:
    data = {
        "found": True,
        "confirmation_code": "HV1042",
        "room_type": "Standard Double",
        "arrival": "2027-03-06",
        "departure": "2027-03-09",
        "status": "confirmed",
    }
    text = replies_for(HOTEL, language).tool_result("find_reservation", data)
    status = replies_for(HOTEL, language).line("status_confirmed")
    assert status in text
    assert status.endswith((".", "!"))
    assert not any(word in text.lower() for word in ("status", "statut", "estado", "stato"))


@pytest.mark.parametrize(
    ("text", "language"),
    [("Hola", "es"), ("Bonjour !", "fr"), ("Ciao", "it"), ("Hallo", "de"), ("Hello", "en")],
)
def test_a_greeting_alone_sets_the_language(text: str, language: str) -> None:
    assert greeting_language(text) == language
    heard = CallLanguage("de" if language == "en" else "en").hear(text)
    assert (heard.language, heard.switched, heard.confirmed) == (language, True, False)
    reply = Policy(HOTEL, TODAY, "de" if language == "en" else "en").respond([Turn("caller", text)])
    assert isinstance(reply, Ask)
    assert reply.text == replies_for(HOTEL, language).how_can_i_help


def test_an_ambiguous_or_longer_greeting_decides_nothing_by_itself() -> None:
    assert greeting_language("hi") is None  # English and German
    assert greeting_language("hola, quiero una habitación") is None
    # A greeting sets the language unconfirmed: the next full sentence still decides.
    heard = CallLanguage("en").hear("Hola").hear("I would like to book a room for tomorrow")
    assert heard.language == "en"
