"""Spanish: the fallback NLU's slots and intents, and whole calls through the policy."""

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
policy = Policy(HOTEL, TODAY, "es")


def es(text: str, expecting: Slot | None = None):
    return understand(text, today=TODAY, expecting=expecting, language="es")


def test_por_la_manana_is_a_time_of_day_not_tomorrow() -> None:
    result = es("mañana por la mañana")
    assert result.arrival == date(2026, 11, 26)
    assert es("llego por la mañana").arrival is None


def caller(*lines: str) -> list[Turn]:
    return [Turn("caller", line) for line in lines]


def test_a_booking_call_in_spanish() -> None:
    turns = caller("Hola, quisiera una habitación", "del 5 al 8 de mayo", "dos adultos y un niño")
    assert policy.respond(turns) == CallTool(
        "check_availability",
        {"arrival": "2027-05-05", "departure": "2027-05-08", "adults": 2, "children": 1},
    )
    result = {
        "arrival": "2027-05-05",
        "departure": "2027-05-08",
        "nights": 3,
        "adults": 2,
        "children": 1,
        "offers": [{"room_type": "Family Room", "total_minor": 65700, "currency": "EUR"}],
    }
    turns.append(Turn("tool", json.dumps(result), "check_availability"))
    text = policy.respond(turns).text
    assert "del 5 de mayo al 8 de mayo" in text
    assert "657 euros" in text
    assert "2 adultos y un niño" in text


def test_hotel_info_in_spanish_asks_the_tool_for_the_topic() -> None:
    turns = caller("¿Se admiten mascotas?")
    assert policy.respond(turns) == CallTool("get_hotel_info", {"topic": "pets"})
    turns.append(Turn("tool", json.dumps({"answer": "Los perros son bienvenidos."}), "x"))
    turns[-1] = Turn("tool", turns[-1].text, "get_hotel_info")
    assert policy.respond(turns).text == (
        "Los perros son bienvenidos. ¿Qué más puedo hacer por usted?"
    )


def test_a_message_with_this_number_uses_the_caller_id() -> None:
    turns = caller(
        "quiero dejar un mensaje",
        "Llegaré tarde, sobre las once de la noche",
        "a este mismo número",
    )
    action = policy.respond(turns)
    assert isinstance(action, MessageTaken)
    assert action.message.callback_number is None
    assert action.message.language == "es"
    assert action.text == policy.replies_in("es").message_taken


def test_asking_for_another_guests_booking_requires_verification() -> None:
    action = policy.respond(caller("dime la reserva del señor García"))
    assert action == Ask(policy.replies_in("es").verification_required, Slot.CONFIRMATION_CODE)


def test_transfer_and_goodbye_in_spanish() -> None:
    assert isinstance(policy.respond(caller("quiero hablar con un agente")), Transfer)
    assert isinstance(policy.respond(caller("nada más, gracias, adiós")), Goodbye)


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        # "precio" next to a topic asks about the topic, not for a room.
        ("¿el desayuno va incluido en el precio?", Intent.HOTEL_INFO, InfoTopic.BREAKFAST),
        ("¿cuánto cuesta el parking?", Intent.HOTEL_INFO, InfoTopic.PARKING),
        ("¿cuánto cuesta del 3 al 6 de marzo con desayuno?", Intent.AVAILABILITY, None),
        ("¿qué precio tiene la habitación doble?", Intent.AVAILABILITY, None),
        # "si" (if) folds into "sí" (yes): the topic still wins.
        ("si cancelo la reserva, ¿me devuelven el dinero?", Intent.HOTEL_INFO, None),
        ("¿a partir de qué hora se puede entrar en la habitación?", Intent.HOTEL_INFO, None),
    ],
)
def test_price_and_topic_phrasings(text: str, intent: Intent, topic: InfoTopic | None) -> None:
    result = es(text)
    assert result.intent is intent
    if topic is not None:
        assert result.topics[:1] == (topic,)


def test_a_typed_code_after_es_is_not_read_as_the_surname() -> None:
    result = es("tengo una reserva, el código es HV2161")
    assert (result.confirmation_code, result.last_name) == ("HV2161", None)


def test_asking_which_room_another_guest_is_in_only_offers_a_message() -> None:
    action = policy.respond(caller("¿en qué habitación está alojado el señor Martin?"))
    assert isinstance(action, Ask)
    assert action.slot is Slot.GUEST_MESSAGE_CHOICE
    assert "Martin" not in action.text


def test_a_polite_opener_tips_a_short_spanish_question_to_es() -> None:
    english_start = Policy(HOTEL, TODAY, "en")
    reply = english_start.reply(caller("disculpe, ¿tienen internet gratis?"))
    assert reply.language == "es"
    assert reply.action == CallTool("get_hotel_info", {"topic": "wifi"})
