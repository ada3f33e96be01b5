"""Every policy move has words in all five languages, and tool results are spoken in them."""

from __future__ import annotations

import string

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.replies import LINES, Replies, replies_for
from realtime_agent.language import SUPPORTED_LANGUAGES

LANGUAGES = SUPPORTED_LANGUAGES
MOVES = [name for name, member in vars(Replies).items() if isinstance(member, property)]
WORKER_MOVES = {
    "dtmf_menu",
    "transfer_notice",
    "transfer_failed",
    "ask_message",
    "ask_callback_number",
    "message_taken",
    "silence_reprompt",
    "silence_goodbye",
    "max_duration_goodbye",
    "refuse_card_details",
    "refuse_instructions",
    "verification_required",
    "too_many_attempts",
}


def test_the_worker_moves_exist() -> None:
    assert set(MOVES) >= WORKER_MOVES


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_has_every_line(language: str) -> None:
    assert set(LINES[language]) == set(LINES["en"])


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_line_has_the_same_placeholders_in_every_language(language: str) -> None:
    """A line never needs a field English does not fill, nor leaves one out.

    A singular (``*_one``) may say the number as a word ("eine Nacht") instead of ``{n}``.
    """
    english = LINES["en"]
    differing = {
        key: (_placeholders(english[key]), _placeholders(text))
        for key, text in LINES[language].items()
        if not _placeholders(text) <= _placeholders(english[key])
        or (_placeholders(text) != _placeholders(english[key]) and not key.endswith("_one"))
    }
    assert not differing


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("move", MOVES)
def test_every_move_renders(language: str, move: str) -> None:
    text = getattr(replies_for(HOTEL, language), move)
    assert text.strip()
    assert "{" not in text
    assert "}" not in text


@pytest.mark.parametrize("language", LANGUAGES[1:])
@pytest.mark.parametrize("move", sorted(WORKER_MOVES | {"greeting", "ask_arrival", "goodbye"}))
def test_moves_are_translated(language: str, move: str) -> None:
    assert getattr(replies_for(HOTEL, language), move) != getattr(replies_for(HOTEL), move)


def test_lines_that_point_to_the_front_desk_carry_its_number() -> None:
    for language in LANGUAGES:
        replies = replies_for(HOTEL, language)
        for move in ("offer_front_desk", "too_many_attempts", "max_duration_goodbye"):
            assert HOTEL.front_desk_phone in getattr(replies, move)
        assert HOTEL.name in replies.greeting


def test_language_tags_and_unknown_languages() -> None:
    assert replies_for(HOTEL, "de-AT").language == "de"
    assert replies_for(HOTEL, "it_IT").language == "it"
    assert replies_for(HOTEL, "pt").language == "en"
    assert replies_for(HOTEL).greeting == Replies(HOTEL).greeting


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "For 1 adult, from 12 December to 14 December: Single Room, 178 euros, 89 a"),
        ("de", "Für einen Erwachsenen, vom 12. Dezember bis zum 14. Dezember: Single Room, 178"),
        ("fr", "Pour un adulte, du 12 décembre au 14 décembre : Single Room, 178 euros, 89 la"),
        ("es", "Para un adulto, del 12 de diciembre al 14 de diciembre: Single Room, 178 euros"),
        ("it", "Per un adulto, dal 12 dicembre al 14 dicembre: Single Room, 178 euro, 89 a"),
    ],
)
def test_offers_are_spoken_in_the_callers_language(language: str, expected: str) -> None:
    data = {
        "arrival": "2026-12-12",
        "departure": "2026-12-14",
        "nights": 2,
        "adults": 1,
        "children": 0,
        "offers": [
            {"room_type": "Single Room", "total_minor": 17800, "currency": "EUR"},
            {"room_type": "Junior Suite", "total_minor": 59850, "currency": "EUR"},
        ],
    }
    text = replies_for(HOTEL, language).tool_result("check_availability", data)
    assert text.startswith(expected)
    assert {
        "en": "178 euros",
        "de": "178 Euro",
        "fr": "178 euros",
        "es": "178 euros",
        "it": "178 euro",
    }[language] in text
    assert {
        "en": "598.50 euros",
        "de": "598 Euro 50",
        "fr": "598 euros 50",
        "es": "598 euros con 50",
        "it": "598 euro e 50",
    }[language] in text


def test_a_failed_transfer_and_a_stored_message_are_spoken() -> None:
    replies = replies_for(HOTEL, "de")
    assert replies.tool_result("transfer_to_front_desk", {"connected": False}) == (
        replies.transfer_failed
    )
    assert replies.tool_result("transfer_to_front_desk", {"connected": True}) == ""
    assert replies.tool_result("take_message", {"stored": True}) == replies.message_taken
    assert HOTEL.front_desk_phone in replies.tool_result("take_message", {"stored": False})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hotel_system_lines_are_in_every_language_and_pre_warmed(language: str) -> None:
    replies = replies_for(HOTEL, language)
    expected = {
        "en": "One moment, I am checking.",
        "de": "Einen Moment, ich sehe nach.",
        "fr": "Un instant, je vérifie.",
        "es": "Un momento, lo compruebo.",
        "it": "Un attimo, controllo.",
    }
    assert replies.holding_line == expected[language]
    if language != "en":
        assert replies.pms_unavailable != replies_for(HOTEL).pms_unavailable
    prompts = replies.fixed_prompts()
    assert prompts["holding_line"] == replies.holding_line, "said on slow lookups: cached"
    assert prompts["pms_unavailable"] == replies.pms_unavailable
    assert "pms_refused" not in prompts, "it carries the PMS's own words"


def test_hotel_system_errors_are_spoken_as_an_offer_not_a_phone_number() -> None:
    replies = replies_for(HOTEL, "es")
    outage = replies.tool_result("check_availability", {"error": "pms_unavailable"})
    assert outage == replies.pms_unavailable
    assert "recepción" in outage
    refused = replies.tool_result(
        "find_reservation", {"error": "refused_by_pms", "reason": "Reserva ya cancelada"}
    )
    assert refused.startswith("Lo siento")
    assert "Reserva ya cancelada." in refused
    assert replies.pms_refused("") == replies.pms_unavailable
    assert HOTEL.front_desk_phone in replies.tool_result("get_hotel_info", {})
