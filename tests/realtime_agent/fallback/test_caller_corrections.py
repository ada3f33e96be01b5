"""Callers correct themselves and list their party as they speak, commas lost in recognition."""

from __future__ import annotations

from datetime import date

import pytest

from realtime_agent.fallback.change_dialogue import cue_of
from realtime_agent.fallback.nlu import understand
from realtime_agent.language.names import parse_name

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "meine Frau, ich und unsere zwei Kinder"),
        ("fr", "mon mari, moi et nos deux enfants"),
        ("es", "mi marido, yo y los dos niños"),
        ("it", "io, mia moglie e i nostri due figli"),
        ("en", "it's me and my wife and our two kids"),
    ],
)
def test_a_couple_with_children_listed_in_any_order_is_two_adults(language, text):
    heard = understand(text, today=TODAY, language=language)
    assert (heard.adults, heard.children) == (2, 2)


def test_the_accusative_companion_counts_in_german():
    assert understand("für mich und meinen Mann", today=TODAY, language="de").adults == 2


@pytest.mark.parametrize(
    ("language", "text", "cue"),
    [
        (
            "de",
            "ich wollte meine Buchung umbuchen, äh, nee, eigentlich muss ich sie stornieren",
            "cancel",
        ),
        ("en", "I want to cancel, no wait, move it to next week", "move"),
        ("de", "ich möchte stornieren und nicht umbuchen", "cancel"),  # no correction word
        ("en", "can I move my booking", "move"),
    ],
)
def test_the_wish_after_a_correction_is_the_one_that_counts(language, text, cue):
    assert cue_of(text, language) == cue


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "viene mi suegra también, seríamos tres"),
        ("it", "saremmo in tre"),
        ("fr", "nous serions trois"),
    ],
)
def test_a_conditional_we_are_counts_the_party(language, text):
    assert understand(text, today=TODAY, language=language).adults == 3


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Hello? Hello? Can you hear me?"),
        ("de", "Hallo? Hören Sie mich?"),
        ("fr", "Allô ? Vous m'entendez ?"),
        ("es", "¿Diga? ¿Me oye?"),
        ("it", "Pronto? Pronto? Mi sente?"),
    ],
)
def test_a_caller_checking_the_line_greets_and_asks_nothing_of_the_hotel(language, text):
    heard = understand(text, today=TODAY, language=language)
    assert heard.line_check
    assert heard.intent.value == "greeting"


def test_one_parent_with_children_and_their_ages_said_after():
    heard = understand(
        "a room tonight for me and my two kids? They're 6 and 11", today=TODAY, language="en"
    )
    assert (heard.adults, heard.children, heard.children_ages) == (1, 2, (6, 11))
    two_rooms = understand("two kids, we need 2 rooms", today=TODAY, language="en")
    assert two_rooms.children_ages == ()  # a count of rooms is no age


@pytest.mark.parametrize(
    ("language", "text", "last"),
    [
        ("fr", "Lefèvre, L E F E accent grave V R E", "Lefèvre"),
        ("de", "Müller, M U Umlaut L L E R", "Müller"),
        ("es", "García, G A R C I con tilde A", "García"),
        ("en", "Smith, S M I T H", "Smith"),
    ],
)
def test_a_spelled_letter_keeps_the_accent_said_after_it(language, text, last):
    assert parse_name(text, expecting_last_name=True, language=language).last == last
