"""Every language's NLU cases, from one case file per language, through one set of tests.

``cases/<language>.json`` lists what a caller says and what the fallback NLU must take
from it: dates, guests, codes, names, intents and info topics. A new language brings its
catalogs (``realtime_agent/language/catalogs/<language>/``) and a case file; nothing here
changes. The last tests build a sixth language from catalog files alone.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.nlu import InfoTopic, Intent, Slot, understand
from realtime_agent.fallback.replies import LINES, replies_for
from realtime_agent.language import SUPPORTED_LANGUAGES, catalog
from realtime_agent.language.vocabulary import load_vocabulary

TODAY = date(2026, 11, 25)  # a Wednesday
CASES = Path(__file__).with_name("cases")
TOY_CATALOGS = Path(__file__).parents[2] / "data" / "toy_language"


def _cases(section: str) -> list[Any]:
    """``(language, case)`` for every case of ``section`` in every language's case file."""
    params = []
    for path in sorted(CASES.glob("*.json")):
        language = path.stem
        for case in json.loads(path.read_text(encoding="utf-8"))[section]:
            params.append(pytest.param(language, case, id=f"{language}-{case['text']}"))
    return params


def _understand(language: str, case: dict[str, Any]):
    expecting = Slot(case["expecting"]) if case.get("expecting") else None
    return understand(case["text"], today=TODAY, expecting=expecting, language=language)


def test_every_case_file_is_a_supported_language() -> None:
    assert {path.stem for path in CASES.glob("*.json")} <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize(("language", "case"), _cases("dates"))
def test_dates(language: str, case: dict[str, Any]) -> None:
    result = _understand(language, case)
    assert (result.arrival, result.departure) == (
        date.fromisoformat(case["arrival"]),
        date.fromisoformat(case["departure"]),
    )


@pytest.mark.parametrize(("language", "case"), _cases("guests"))
def test_guests(language: str, case: dict[str, Any]) -> None:
    result = _understand(language, case)
    assert (result.adults, result.children) == (case["adults"], case["children"])
    if "children_ages" in case:
        assert result.children_ages == tuple(case["children_ages"])


@pytest.mark.parametrize(("language", "case"), _cases("codes"))
def test_codes(language: str, case: dict[str, Any]) -> None:
    assert _understand(language, case).confirmation_code == case["code"]


@pytest.mark.parametrize(("language", "case"), _cases("names"))
def test_names(language: str, case: dict[str, Any]) -> None:
    result = _understand(language, case)
    assert (result.first_name, result.last_name) == (case["first"], case["last"])


@pytest.mark.parametrize(("language", "case"), _cases("intents"))
def test_intents(language: str, case: dict[str, Any]) -> None:
    assert _understand(language, case).intent is Intent(case["intent"])


@pytest.mark.parametrize(("language", "case"), _cases("topics"))
def test_topics(language: str, case: dict[str, Any]) -> None:
    assert _understand(language, case).topics[:1] == (InfoTopic(case["topic"]),)


# -- A sixth language is files only ------------------------------------------------------


def test_a_toy_language_builds_a_vocabulary_from_catalog_files_alone() -> None:
    dutch = load_vocabulary("nl", TOY_CATALOGS)
    assert dutch.language == "nl"
    assert dutch.numbers.units["drie"] == 3
    assert dutch.numbers.tens["eenentwintig"] == 21, "built by the catalog's compounding rule"
    assert dutch.markers["december"] == "M12", "month names come from CLDR"
    assert dutch.markers["dec"] == "M12", "spoken variants come from the catalog"
    assert dutch.markers["zaterdag"] == "W5"
    assert dutch.markers["tot"] == "TO"
    assert dutch.letter_names["victor"] == "v", "the shared spelling alphabet is merged in"
    assert "visa" in dutch.intent_phrases["card"], "shared card brands are merged in"


def test_a_toy_language_speaks_every_line_from_its_replies_catalog() -> None:
    lines = catalog("nl", "replies", TOY_CATALOGS)
    assert set(lines) == set(LINES["en"]), "a language has every line English has"
    replies = replies_for(HOTEL, "nl-BE", catalogs=TOY_CATALOGS)
    assert replies.language == "nl"
    assert replies.greeting.startswith(f"Bedankt voor uw oproep naar {HOTEL.name}")
    assert HOTEL.front_desk_phone in replies.front_desk
