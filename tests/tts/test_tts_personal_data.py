"""contains_personal_data: what the fallback policy says to everybody is cacheable; anything
that names a guest or a booking is not."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from hotelvoice.tts.personal_data import contains_personal_data, personal_data_kinds
from realtime_agent.fallback.replies import LINES, replies_for

PUBLIC = (HOTEL.front_desk_phone, HOTEL.address)
ARRIVAL = date(2026, 12, 12)
OFFERS = {
    "arrival": ARRIVAL.isoformat(),
    "departure": (ARRIVAL + timedelta(days=2)).isoformat(),
    "nights": 2,
    "adults": 2,
    "children": 1,
    "offers": [
        {"room_type": "Standard Double", "total_minor": 125850, "currency": "EUR"},
        {"room_type": "Junior Suite", "total_minor": 59800, "currency": "EUR"},
    ],
}
RESERVATION = {
    "found": True,
    "confirmation_code": "HV1415",  # the demo hotel's format: HV + four digits
    "room_type": "Standard Double",
    "arrival": OFFERS["arrival"],
    "departure": OFFERS["departure"],
    "status": "confirmed",
}


def _fixed_lines(language: str) -> list[str]:
    replies = replies_for(HOTEL, language)
    lines = []
    for key in LINES[language]:
        try:
            lines.append(replies.line(key))
        except KeyError:  # a tool-result template
            continue
    return lines


@pytest.mark.parametrize("language", sorted(LINES))
def test_fixed_prompts_and_hotel_facts_are_cacheable(language: str) -> None:
    texts = [*_fixed_lines(language), *HOTEL.policy_texts[language].values()]
    assert len(texts) > 20
    flagged = {t: personal_data_kinds(t, public_texts=PUBLIC) for t in texts}
    assert {t: kinds for t, kinds in flagged.items() if kinds} == {}


def test_the_hotels_own_number_needs_public_texts() -> None:
    prompt = replies_for(HOTEL, "en").front_desk
    assert "phone" in personal_data_kinds(prompt)
    assert not contains_personal_data(prompt, public_texts=PUBLIC)


@pytest.mark.parametrize("language", sorted(LINES))
def test_availability_answers_are_cacheable(language: str) -> None:
    answer = replies_for(HOTEL, language).tool_result("check_availability", OFFERS)
    assert re.search(r"\b12\b", answer), answer  # the stay: 12 to 14 December
    assert re.search(r"\b14\b", answer), answer
    assert personal_data_kinds(answer) == []


@pytest.mark.parametrize("language", sorted(LINES))
def test_reservation_details_are_never_cacheable(language: str) -> None:
    answer = replies_for(HOTEL, language).tool_result("find_reservation", RESERVATION)
    assert "code" in personal_data_kinds(answer)


@pytest.mark.parametrize(
    "text",
    [
        "We have a 24-hour reception.",
        "Check-in is from 3pm, check-out until 11am; breakfast from 6h30 to 10h30.",
        "Le petit-déjeuner est servi à 7h30, le 1er décembre 2026.",
        "Arriving on the 12th of December 2026 and leaving Dec 14, 2026.",
        "Vom 12.12.2026 bis 2026-12-14.",
        "The total is 1,258.50 euros, or €1234 for the suite, or 1234 Euro 50.",
        "Our rooms are 30 m2 and pets up to 15kg are welcome; the Wi-Fi is Aurora-Guest.",
        "Press 1 for a new booking, 2 for an existing reservation, or 0 for the front desk.",
        "Buonasera signora, come posso aiutarla?",
        "The price is EUR 129 per night.",
    ],
)
def test_ordinary_replies_stay_cacheable(text: str) -> None:
    assert personal_data_kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Please write to anna.smith@example.com.", "email"),
        ("Your card 4111 1111 1111 1111 was not stored.", "card"),
        ("We will call you back on +49 171 2345678.", "phone"),
        ("We will call you back on 0171 234 5678.", "phone"),
        ("Your PIN is 4821.", "digits"),
        ("Your postcode is 80331.", "digits"),
        ("See you in 2026.", "digits"),  # a bare year-like number: may be a PIN
        ("Born on 1985-03-12.", "digits"),
        ("Your booking HV7K2Q is confirmed.", "code"),
        ("Your booking ABC-1234 is confirmed.", "code"),
        ("Your booking hv1415 is confirmed.", "code"),
        ("Your booking HV 2026 is confirmed.", "code"),
        ("That is H V 1 4 1 5, correct?", "code"),
        ("That is 1-4-1-5, correct?", "code"),
        ("Thank you, Mr Smith.", "honorific"),
        ("Thank you, Mrs. Miller.", "honorific"),
        ("Vielen Dank, Frau Weber.", "honorific"),
        ("Guten Tag, Herr Fischer.", "honorific"),
        ("Merci, Madame Dubois.", "honorific"),
        ("Merci, M. Martin.", "honorific"),
        ("Gracias, señora García.", "honorific"),
        ("Grazie, Signor Rossi.", "honorific"),
    ],
)
def test_personal_shapes(text: str, kind: str) -> None:
    assert kind in personal_data_kinds(text)
    assert contains_personal_data(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Thank you, Garcia, see you soon.", ["María García"]),
        ("Welcome back, MARÍA!", ["Maria Garcia"]),
        ("I found the booking for müller.", ["Müller"]),
        ("Anna, your room is ready.", ["Anna Smith"]),
    ],
)
def test_known_names_match_ignoring_case_and_accents(text: str, names: list[str]) -> None:
    assert personal_data_kinds(text, names) == ["name"]


def test_known_names_match_whole_words_only() -> None:
    assert not contains_personal_data("Annabel is our concierge.", ["Anna"])
    assert not contains_personal_data("Anything else?", ["A"])  # one letter: no name


@pytest.mark.parametrize(
    "language",
    ["en", "de", "fr", "es", "it"],
)
def test_an_email_read_back_aloud_is_personal_unless_it_is_the_prompts_example(language):
    replies = replies_for(HOTEL, language)
    said = replies.confirm_email("peter.collins@web.de")
    assert contains_personal_data(said, public_texts=PUBLIC), said
    assert personal_data_kinds(said) == ["email"]
    assert not contains_personal_data(replies.ask_email, public_texts=PUBLIC), replies.ask_email
