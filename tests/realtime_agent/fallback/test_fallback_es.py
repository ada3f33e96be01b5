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


@pytest.mark.parametrize(
    ("text", "arrival", "departure"),
    [
        ("del 5 al 8 de mayo", "2027-05-05", "2027-05-08"),
        ("el doce de diciembre por tres noches", "2026-12-12", "2026-12-15"),
        ("desde el 12 hasta el 15 de diciembre", "2026-12-12", "2026-12-15"),
        ("mañana por dos noches", "2026-11-26", "2026-11-28"),
        ("pasado mañana por una noche", "2026-11-27", "2026-11-28"),
        ("esta noche hasta el viernes", "2026-11-25", "2026-11-27"),
        ("el viernes que viene hasta el domingo", "2026-11-27", "2026-11-29"),
        ("el próximo viernes por dos noches", "2026-11-27", "2026-11-29"),
        ("este fin de semana", "2026-11-27", "2026-11-29"),
        ("la semana que viene por una semana", "2026-11-30", "2026-12-07"),
        ("el 12 de diciembre de 2026 por dos noches", "2026-12-12", "2026-12-14"),
        ("dentro de dos semanas por tres noches", "2026-12-09", "2026-12-12"),
        ("llegada el veintiuno de diciembre, salida el veintitrés", "2026-12-21", "2026-12-23"),
    ],
)
def test_dates(text: str, arrival: str, departure: str) -> None:
    result = es(text)
    assert (result.arrival, result.departure) == (
        date.fromisoformat(arrival),
        date.fromisoformat(departure),
    )


def test_por_la_manana_is_a_time_of_day_not_tomorrow() -> None:
    result = es("mañana por la mañana")
    assert result.arrival == date(2026, 11, 26)
    assert es("llego por la mañana").arrival is None


@pytest.mark.parametrize(
    ("text", "expecting", "adults", "children"),
    [
        ("dos adultos y un niño", None, 2, 1),
        ("para dos personas", None, 2, None),
        ("somos cuatro", None, 4, None),
        ("yo y mi esposa", None, 2, None),
        ("solo yo", None, 1, None),
        ("dos adultos sin niños", None, 2, 0),
        ("dos", Slot.ADULTS, 2, None),
        ("solo dos noches", Slot.ADULTS, None, None),
        ("para dos habitaciones", None, None, None),
    ],
)
def test_guests(text: str, expecting: Slot | None, adults: int | None, children: int | None):
    result = es(text, expecting)
    assert (result.adults, result.children) == (adults, children)


@pytest.mark.parametrize(
    ("text", "expecting", "code"),
    [
        ("mi código de reserva es hache uve catorce quince", None, "HV1415"),
        ("H V uno cuatro uno cinco", Slot.CONFIRMATION_CODE, "HV1415"),
        ("es hache uve uno cero cuatro dos", Slot.CONFIRMATION_CODE, "HV1042"),
        ("el localizador es HV1415", None, "HV1415"),
        ("del 5 al 8 de mayo", Slot.CONFIRMATION_CODE, None),
        # Digits only (Mews, OPERA): when asked for, or named by the caller.
        ("mi número de reserva es ocho uno tres cinco nueve cinco", None, "813595"),
        ("es el ochocientos trece quinientos noventa y cinco", Slot.CONFIRMATION_CODE, "813595"),
        ("el número de reserva es el cincuenta y dos", None, "52"),
        ("cincuenta y dos", Slot.CONFIRMATION_CODE, "52"),
        # Apaleo: a booking id with the reservation's suffix.
        ("X P G M S X G F guion uno", Slot.CONFIRMATION_CODE, "XPGMSXGF-1"),
        ("equis pe ge eme ese equis ge efe guion uno", Slot.CONFIRMATION_CODE, "XPGMSXGF-1"),
        ("el localizador es XPGMSXGF-1", None, "XPGMSXGF-1"),
        # Not codes:
        ("ocho uno tres cinco nueve cinco", None, None),
        ("el doce de diciembre", Slot.CONFIRMATION_CODE, None),
        ("el doce", Slot.CONFIRMATION_CODE, None),
        ("somos doce personas", Slot.CONFIRMATION_CODE, None),
        (
            "mi móvil es seis uno dos tres cuatro cinco seis siete ocho",
            Slot.CONFIRMATION_CODE,
            None,
        ),
        ("del 12 al 14 de diciembre para dos", None, None),
    ],
)
def test_codes(text: str, expecting: Slot | None, code: str | None) -> None:
    assert es(text, expecting).confirmation_code == code


@pytest.mark.parametrize(
    ("text", "expecting", "first", "last"),
    [
        ("mi apellido es García", None, None, "García"),
        ("me llamo María García", None, "María", "García"),
        ("López", Slot.LAST_NAME, None, "López"),
        ("de la Cruz", Slot.LAST_NAME, None, "De La Cruz"),
        ("soy Fernández", None, None, "Fernández"),
        ("mañana", Slot.LAST_NAME, None, None),
    ],
)
def test_names(text: str, expecting: Slot | None, first: str | None, last: str | None) -> None:
    result = es(text, expecting)
    assert (result.first_name, result.last_name) == (first, last)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("quisiera reservar una habitación", Intent.AVAILABILITY),
        ("¿tienen habitaciones libres?", Intent.AVAILABILITY),
        ("tengo una reserva", Intent.RESERVATION),
        ("quiero cancelar mi reserva", Intent.RESERVATION),
        ("¿a qué hora es el check-in?", Intent.HOTEL_INFO),
        ("quiero hablar con una persona", Intent.TRANSFER),
        ("páseme con recepción, por favor", Intent.TRANSFER),
        ("quiero dejar un mensaje", Intent.MESSAGE),
        ("eso es todo, adiós", Intent.GOODBYE),
        ("sí, correcto", Intent.AFFIRM),
        ("no, no es correcto", Intent.DENY),
        ("hola, buenos días", Intent.GREETING),
    ],
)
def test_intents(text: str, intent: Intent) -> None:
    assert es(text).intent is intent


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("¿está incluido el desayuno?", InfoTopic.BREAKFAST),
        ("¿tienen aparcamiento?", InfoTopic.PARKING),
        ("¿se admiten perros?", InfoTopic.PETS),
        ("¿hay wifi?", InfoTopic.WIFI),
        ("¿cuál es la política de cancelación?", InfoTopic.CANCELLATION),
        ("¿dónde está el hotel?", InfoTopic.ADDRESS),
    ],
)
def test_topics(text: str, topic: InfoTopic) -> None:
    assert es(text).topics[:1] == (topic,)


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
    assert "del miércoles, 5 de mayo de 2027 al sábado, 8 de mayo de 2027" in text
    assert "657 euros" in text
    assert "2 adultos y un niño" in text


def test_hotel_info_in_spanish_asks_the_tool_for_the_topic() -> None:
    turns = caller("¿Se admiten mascotas?")
    assert policy.respond(turns) == CallTool("get_hotel_info", {"topic": "pets"})
    turns.append(Turn("tool", json.dumps({"answer": "Los perros son bienvenidos."}), "x"))
    turns[-1] = Turn("tool", turns[-1].text, "get_hotel_info")
    assert policy.respond(turns).text == (
        "Los perros son bienvenidos. ¿Puedo ayudarle en algo más?"
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


def test_asking_which_room_another_guest_is_in_requires_verification() -> None:
    action = policy.respond(caller("¿en qué habitación está alojado el señor Martin?"))
    assert action == Ask(policy.replies_in("es").verification_required, Slot.CONFIRMATION_CODE)


def test_a_polite_opener_tips_a_short_spanish_question_to_es() -> None:
    english_start = Policy(HOTEL, TODAY, "en")
    reply = english_start.reply(caller("disculpe, ¿tienen internet gratis?"))
    assert reply.language == "es"
    assert reply.action == CallTool("get_hotel_info", {"topic": "wifi"})
