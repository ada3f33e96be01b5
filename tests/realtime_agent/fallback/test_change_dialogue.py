"""Changes and cancellations in the fallback dialogue, in every language: verify, quote, yes."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from hotelvoice.contracts.pms import (
    AvailabilityQuery,
    CancellationQuote,
    Money,
    Reservation,
    ReservationStatus,
)
from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.change_dialogue import cue_of
from realtime_agent.fallback.confirmations import accepts as confirms
from realtime_agent.fallback.dialogue import Ask, CallTool, Policy, Turn
from realtime_agent.fallback.nlu import Slot, understand
from realtime_agent.language import catalog
from realtime_agent.reservation_changes import _stay_result, quote_result
from realtime_agent.tool_results import (
    pms_refused_result,
    reservation_result,
    spoken_date,
    stay_date,
)

TODAY = date(2026, 11, 25)
BOOKED = Reservation(
    confirmation_code="HV2534",
    guest_first_name="Anna",
    guest_last_name="Martin",
    arrival=date(2026, 12, 10),
    departure=date(2026, 12, 12),
    room_type_name="Standard Double",
    adults=2,
    children=0,
    status=ReservationStatus.CONFIRMED,
    total=Money(amount_minor=29800, currency="EUR"),
)
FREE = CancellationQuote(
    confirmation_code="HV2534",
    cancellable=True,
    fee=Money(amount_minor=0, currency="EUR"),
    free_until=date(2026, 12, 8),
)
# What callers say, per language: a cancellation, a yes, a no, a move to the 14th, a party
# of three.
SAYS = {
    "en": ("I want to cancel my booking", "yes please, cancel it", "no, keep it",
           "can I move it to the 14th", "we are three people now"),
    "de": ("ich möchte meine Buchung stornieren", "ja, bitte stornieren", "nein, lieber nicht",
           "können wir auf den 14. verschieben", "wir sind jetzt zu dritt"),
    "fr": ("je voudrais annuler ma réservation", "oui, annulez-la", "non merci",
           "je peux la déplacer au 14", "nous sommes trois maintenant"),
    "es": ("quiero cancelar mi reserva", "sí, cancélela", "no, gracias",
           "¿puedo cambiarla al 14?", "ahora somos tres"),
    "it": ("vorrei cancellare la mia prenotazione", "sì, la cancelli", "no, la lasci così",
           "posso spostarla al 14?", "adesso siamo in tre"),
}  # fmt: skip
LANGUAGES = sorted(SAYS)


def tool(name: str, output: str) -> Turn:
    return Turn("tool", output, tool_name=name)


def verified(language: str, first: str) -> list[Turn]:
    """The caller asks, gives code and name, the booking is found."""
    return [
        Turn("caller", first),
        Turn("caller", "HV2534"),
        Turn("caller", "Martin"),
        tool("find_reservation", reservation_result(BOOKED, language)),
    ]


def line(language: str, key: str) -> str:
    return catalog(language, "changes")["lines"][key]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_cancellation_is_verified_quoted_confirmed_and_done(language):
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    cancel, yes, *_ = SAYS[language]
    assert policy.respond([Turn("caller", cancel)]) == Ask(
        policy.replies.ask_code, Slot.CONFIRMATION_CODE
    )
    turns = verified(language, cancel)
    assert policy.respond(turns[:-1]) == CallTool(
        "find_reservation", {"confirmation_code": "HV2534", "last_name": "Martin"}
    )
    assert policy.respond(turns) == CallTool("cancel_reservation", {})
    turns.append(
        tool("cancel_reservation", quote_result(BOOKED, FREE, language, needs_confirmation=True))
    )
    quote = policy.reply(turns)
    assert spoken_date(date(2026, 12, 8), language) in quote.action.text  # the deadline
    assert "HV2534" in quote.action.text
    assert quote.action.slot is Slot.CHANGE_CONFIRM
    assert len(quote.action.text.split()) <= 40
    turns.append(Turn("caller", yes))
    assert policy.respond(turns) == CallTool("cancel_reservation", {})
    done = json.dumps({"cancelled": True, "confirmation_code": "HV2534", "fee_minor": 0,
                       "currency": "EUR"})  # fmt: skip
    turns.append(tool("cancel_reservation", done))
    said = policy.respond(turns)
    assert said == Ask(line(language, "cancelled").format(code="HV2534"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_to_the_quote_leaves_the_booking_and_calls_nothing(language):
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    cancel, _, no, *_ = SAYS[language]
    turns = verified(language, cancel)
    turns.append(
        tool("cancel_reservation", quote_result(BOOKED, FREE, language, needs_confirmation=True))
    )
    turns.append(Turn("caller", no))
    assert policy.respond(turns) == Ask(line(language, "kept"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_move_and_a_bigger_party_are_requoted(language):
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    *_, move, three = SAYS[language]
    found = [
        Turn("caller", "HV2534 Martin"),
        tool("find_reservation", reservation_result(BOOKED, language)),
    ]
    action = policy.respond([*found, Turn("caller", move)])
    assert action == CallTool(
        "change_reservation",
        {"arrival": "2026-12-14", "departure": "", "adults": 0, "children": -1},
    )
    action = policy.respond([*found, Turn("caller", three)])
    assert action == CallTool(
        "change_reservation", {"arrival": "", "departure": "", "adults": 3, "children": -1}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_move_asked_first_is_quoted_once_the_booking_is_verified(language):
    policy = Policy(HOTEL, TODAY, language, detect_language=False)
    move = SAYS[language][3]
    turns = verified(language, move)
    arguments = {"arrival": "2026-12-14", "departure": "", "adults": 0, "children": -1}
    assert policy.respond(turns) == CallTool("change_reservation", arguments)
    stay = AvailabilityQuery(arrival=date(2026, 12, 14), departure=date(2026, 12, 16), adults=2)
    new_total = Money(amount_minor=31000, currency="EUR")
    turns.append(tool("change_reservation", _stay_result(BOOKED, stay, new_total, language)))
    quote = policy.reply(turns)
    assert quote.action.slot is Slot.CHANGE_CONFIRM
    assert stay_date(date(2026, 12, 14), language) in quote.action.text
    assert "Anna" not in quote.action.text  # the booking is not read out twice
    assert len(quote.action.text.split()) <= 40
    turns.append(Turn("caller", SAYS[language][1].split(",")[0]))  # a plain yes
    assert policy.respond(turns) == CallTool("change_reservation", arguments)


def test_a_refused_change_is_relayed_with_the_reason_and_the_front_desk_offered():
    policy = Policy(HOTEL, TODAY)
    turns = verified("en", "can I move my booking to the 14th")
    turns.append(
        tool(
            "change_reservation",
            pms_refused_result("a reservation that is cancelled cannot change"),
        )
    )
    said = policy.reply(turns)
    assert "a reservation that is cancelled cannot change" in said.action.text
    assert said.state.change is None
    assert said.state.offered == "hotel_system"


def test_a_room_not_free_for_the_new_stay_keeps_the_booking_and_asks_again():
    policy = Policy(HOTEL, TODAY)
    turns = verified("en", "can I move my booking to the 14th")
    stay = AvailabilityQuery(arrival=date(2026, 12, 14), departure=date(2026, 12, 16), adults=2)
    turns.append(tool("change_reservation", _stay_result(BOOKED, stay, None, "en")))
    said = policy.reply(turns)
    assert "stays as it is" in said.action.text
    assert said.state.expecting is Slot.CHANGE_DETAILS
    turns.append(Turn("caller", "the 20th then"))
    arguments = {"arrival": "2026-12-20", "departure": "", "adults": 0, "children": -1}
    assert policy.respond(turns) == CallTool("change_reservation", arguments)


def test_a_question_about_the_policy_is_no_cancellation():
    assert Policy(HOTEL, TODAY).respond([Turn("caller", "can I cancel for free?")]) == CallTool(
        "get_hotel_info", {"topic": "cancellation"}
    )


def test_a_fee_is_stated_before_the_yes():
    fee = CancellationQuote(
        confirmation_code="HV2534", cancellable=True, fee=Money(amount_minor=14900, currency="EUR")
    )
    policy = Policy(HOTEL, TODAY)
    turns = verified("en", "cancel my booking please")
    turns.append(
        tool("cancel_reservation", quote_result(BOOKED, fee, "en", needs_confirmation=True))
    )
    assert "149 euros" in policy.respond(turns).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_yes_with_the_word_cancel_is_a_yes_and_no_is_not(language):
    _, yes, no, *_ = SAYS[language]
    assert confirms(understand(yes, today=TODAY, language=language), yes, language)
    assert not confirms(understand(no, today=TODAY, language=language), no, language)
    assert cue_of(SAYS[language][0], language) == "cancel"
    assert cue_of(SAYS[language][3], language) == "move"


def test_every_language_has_every_line_with_the_same_placeholders():
    english = catalog("en", "changes")
    for language in LANGUAGES:
        lines = catalog(language, "changes")["lines"]
        assert set(lines) == set(english["lines"]), language
        for key, text in english["lines"].items():
            fields = {f for f in ("{code}", "{until}", "{fee}", "{reason}", "{room}", "{stay}",
                                  "{guests}", "{total}") if f in text}  # fmt: skip
            assert all(f in lines[key] for f in fields), (language, key)
        assert set(catalog(language, "changes")["cues"]) == set(english["cues"])


def test_the_deadline_is_the_day_the_pms_gives():
    result = json.loads(quote_result(BOOKED, FREE, "de", needs_confirmation=True))
    assert result["free_until"] == (BOOKED.arrival - timedelta(days=2)).isoformat()
    assert result["needs_confirmation"]
    assert result["free"]
