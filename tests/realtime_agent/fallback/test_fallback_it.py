"""Italian: the fallback NLU's slots and intents, and whole calls through the policy."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.dialogue import (
    Ask,
    CallTool,
    Goodbye,
    MessageTaken,
    Policy,
    Transfer,
    Turn,
)
from realtime_agent.fallback.nlu import InfoTopic, Intent, Slot, understand

TODAY = date(2026, 11, 25)  # a Wednesday
policy = Policy(HOTEL, TODAY, "it")


def it(text: str, expecting: Slot | None = None):
    return understand(text, today=TODAY, expecting=expecting, language="it")


def caller(*lines: str) -> list[Turn]:
    return [Turn("caller", line) for line in lines]


def test_a_reservation_call_in_italian_reads_the_booking_back() -> None:
    turns = caller("ho una prenotazione", "acca vu uno quattro uno cinque", "Rossi")
    assert policy.respond(turns) == CallTool(
        "find_reservation", {"confirmation_code": "HV1415", "last_name": "Rossi"}
    )
    result = {
        "found": True,
        "confirmation_code": "HV1415",
        "arrival": "2027-03-01",
        "departure": "2027-03-03",
        "room_type": "Superior King",
        "status": "confirmed",
    }
    turns.append(Turn("tool", json.dumps(result), "find_reservation"))
    text = policy.respond(turns).text
    assert "dal lunedì 1º marzo 2027 al mercoledì 3 marzo 2027" in text
    assert "confermata" in text


def test_a_wrong_name_asks_for_the_code_again_in_italian() -> None:
    turns = caller("ho una prenotazione", "HV1415", "Verdi")
    turns.append(Turn("tool", json.dumps({"found": False, "attempts_left": 2}), "find_reservation"))
    expected = Ask(policy.replies_in("it").line("reservation_retry"), Slot.CONFIRMATION_CODE)
    assert policy.respond(turns) == expected


def test_a_message_with_a_spoken_number() -> None:
    turns = caller(
        "mi può richiamare?",
        "Vorrei sapere se avete una culla per il bambino",
        "più tre nove, tre tre tre, uno due tre quattro cinque sei sette",
    )
    action = policy.respond(turns)
    assert isinstance(action, MessageTaken)
    assert action.message.callback_number == "+393331234567"


def test_a_card_number_in_italian_is_refused_while_expecting_the_message() -> None:
    turns = caller("vorrei lasciare un messaggio", "la mia carta di credito è 4111 1111 1111 1111")
    action = policy.respond(turns)
    assert action.slot is Slot.MESSAGE
    assert "4111" not in action.text
    assert "carta" in action.text


def test_transfer_and_goodbye_in_italian() -> None:
    assert isinstance(policy.respond(caller("vorrei parlare con un operatore")), Transfer)
    assert isinstance(policy.respond(caller("basta così, arrivederci")), Goodbye)


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        # "prezzo" next to a topic asks about the topic, not for a room.
        ("la colazione è compresa nel prezzo?", Intent.HOTEL_INFO, InfoTopic.BREAKFAST),
        ("quanto costa il parcheggio?", Intent.HOTEL_INFO, InfoTopic.PARKING),
        ("quanto costa una doppia dal 3 al 6 marzo?", Intent.AVAILABILITY, None),
        ("se disdico, pago qualcosa?", Intent.HOTEL_INFO, InfoTopic.CANCELLATION),
        ("da che ora si può entrare in camera?", Intent.HOTEL_INFO, InfoTopic.CHECK_IN),
        ("ok perfetto, a posto così, grazie", Intent.GOODBYE, None),
    ],
)
def test_price_topic_and_closing_phrasings(
    text: str, intent: Intent, topic: InfoTopic | None
) -> None:
    result = it(text)
    assert result.intent is intent
    if topic is not None:
        assert result.topics[:1] == (topic,)


def test_a_nome_without_di_gives_the_surname() -> None:
    result = it("ho una prenotazione, il codice è HV2161, a nome Fischer")
    assert (result.confirmation_code, result.last_name) == ("HV2161", "Fischer")


def test_asking_which_room_another_guest_is_in_only_offers_a_message() -> None:
    action = policy.respond(caller("in che camera alloggia la signora Martin?"))
    assert isinstance(action, Ask)
    assert action.slot is Slot.GUEST_MESSAGE_CHOICE
    assert "Martin" not in action.text


def test_a_polite_opener_tips_a_short_italian_question_to_it() -> None:
    english_start = Policy(HOTEL, TODAY, "en")
    reply = english_start.reply(caller("scusi, avete il wifi in albergo?"))
    assert reply.language == "it"
    assert reply.action == CallTool("get_hotel_info", {"topic": "wifi"})
