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


@pytest.mark.parametrize(
    ("text", "arrival", "departure"),
    [
        ("dal 2 al 4 aprile", "2027-04-02", "2027-04-04"),
        ("dall'8 all'11 dicembre", "2026-12-08", "2026-12-11"),
        ("il 12 dicembre per tre notti", "2026-12-12", "2026-12-15"),
        ("il primo maggio per due notti", "2027-05-01", "2027-05-03"),
        ("domani per due notti", "2026-11-26", "2026-11-28"),
        ("dopodomani per una notte", "2026-11-27", "2026-11-28"),
        ("stasera fino a venerdì", "2026-11-25", "2026-11-27"),
        ("venerdì prossimo fino a domenica", "2026-11-27", "2026-11-29"),
        ("questo fine settimana", "2026-11-27", "2026-11-29"),
        ("la settimana prossima per una settimana", "2026-11-30", "2026-12-07"),
        ("tra due settimane per tre notti", "2026-12-09", "2026-12-12"),
        ("il ventuno dicembre duemilaventisei per due notti", "2026-12-21", "2026-12-23"),
        ("arrivo il 12 dicembre, partenza il 15", "2026-12-12", "2026-12-15"),
    ],
)
def test_dates(text: str, arrival: str, departure: str) -> None:
    result = it(text)
    assert (result.arrival, result.departure) == (
        date.fromisoformat(arrival),
        date.fromisoformat(departure),
    )


@pytest.mark.parametrize(
    ("text", "expecting", "adults", "children"),
    [
        ("due adulti e un bambino", None, 2, 1),
        ("per due persone", None, 2, None),
        ("siamo in tre", None, 3, None),
        ("io e mia moglie", None, 2, None),
        ("solo io", None, 1, None),
        ("due adulti senza bambini", None, 2, 0),
        ("quattro persone di cui due bambini", None, 2, 2),
        ("due", Slot.ADULTS, 2, None),
        ("due notti", Slot.ADULTS, None, None),
        ("per due camere", None, None, None),
    ],
)
def test_guests(text: str, expecting: Slot | None, adults: int | None, children: int | None):
    result = it(text, expecting)
    assert (result.adults, result.children) == (adults, children)


@pytest.mark.parametrize(
    ("text", "expecting", "code"),
    [
        ("il codice è acca vu uno quattro uno cinque", None, "HV1415"),
        ("è H V quattordici quindici", Slot.CONFIRMATION_CODE, "HV1415"),
        ("hotel Venezia uno zero quattro due", Slot.CONFIRMATION_CODE, "HV1042"),
        ("il codice di prenotazione è HV1415", None, "HV1415"),
        ("dal 2 al 4 aprile", Slot.CONFIRMATION_CODE, None),
        # Digits only (Mews, OPERA): when asked for, or named by the caller.
        ("il mio numero di prenotazione è otto uno tre cinque nove cinque", None, "813595"),
        ("ottocentotredici cinquecentonovantacinque", Slot.CONFIRMATION_CODE, "813595"),
        ("è il cinquantadue", Slot.CONFIRMATION_CODE, "52"),
        ("numero di prenotazione cinquantadue", None, "52"),
        # Apaleo: a booking id with the reservation's suffix.
        ("X P G M S X G F trattino uno", Slot.CONFIRMATION_CODE, "XPGMSXGF-1"),
        ("ics pi gi emme esse ics gi effe trattino uno", Slot.CONFIRMATION_CODE, "XPGMSXGF-1"),
        ("il numero di prenotazione è XPGMSXGF-1", None, "XPGMSXGF-1"),
        # Not codes:
        ("otto uno tre cinque nove cinque", None, None),
        ("il 12 dicembre", Slot.CONFIRMATION_CODE, None),
        ("il dodici", Slot.CONFIRMATION_CODE, None),
        ("siamo dodici persone", Slot.CONFIRMATION_CODE, None),
        (
            "il mio cellulare è tre tre tre uno due tre quattro cinque sei sette",
            Slot.CONFIRMATION_CODE,
            None,
        ),
        ("dal 12 al 14 dicembre per due", None, None),
    ],
)
def test_codes(text: str, expecting: Slot | None, code: str | None) -> None:
    assert it(text, expecting).confirmation_code == code


@pytest.mark.parametrize(
    ("text", "expecting", "first", "last"),
    [
        ("il mio cognome è Rossi", None, None, "Rossi"),
        ("mi chiamo Luca Rossi", None, "Luca", "Rossi"),
        ("sono Bianchi", None, None, "Bianchi"),
        ("Esposito", Slot.LAST_NAME, None, "Esposito"),
        ("Della Valle", Slot.LAST_NAME, None, "Della Valle"),
        ("sono interessato a una camera per domani", None, None, None),
        ("domani", Slot.LAST_NAME, None, None),
    ],
)
def test_names(text: str, expecting: Slot | None, first: str | None, last: str | None) -> None:
    result = it(text, expecting)
    assert (result.first_name, result.last_name) == (first, last)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("vorrei prenotare una camera", Intent.AVAILABILITY),
        ("avete camere libere?", Intent.AVAILABILITY),
        ("ho una prenotazione", Intent.RESERVATION),
        ("vorrei cancellare la mia prenotazione", Intent.RESERVATION),
        ("a che ora è il check-in?", Intent.HOTEL_INFO),
        ("vorrei parlare con una persona", Intent.TRANSFER),
        ("mi passi la reception, per favore", Intent.TRANSFER),
        ("vorrei lasciare un messaggio", Intent.MESSAGE),
        ("è tutto, grazie, arrivederci", Intent.GOODBYE),
        ("sì, esatto", Intent.AFFIRM),
        ("no, è sbagliato", Intent.DENY),
        ("buongiorno", Intent.GREETING),
    ],
)
def test_intents(text: str, intent: Intent) -> None:
    assert it(text).intent is intent


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("la colazione è inclusa?", InfoTopic.BREAKFAST),
        ("c'è un parcheggio?", InfoTopic.PARKING),
        ("posso portare il cane?", InfoTopic.PETS),
        ("c'è il wifi?", InfoTopic.WIFI),
        ("fino a quando posso cancellare gratis?", InfoTopic.CANCELLATION),
        ("qual è l'indirizzo?", InfoTopic.ADDRESS),
    ],
)
def test_topics(text: str, topic: InfoTopic) -> None:
    assert it(text).topics[:1] == (topic,)


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
    assert "da lunedì 1º marzo 2027 a mercoledì 3 marzo 2027" in text
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


def test_asking_which_room_another_guest_is_in_requires_verification() -> None:
    action = policy.respond(caller("in che camera alloggia la signora Martin?"))
    assert action == Ask(policy.replies_in("it").verification_required, Slot.CONFIRMATION_CODE)


def test_a_polite_opener_tips_a_short_italian_question_to_it() -> None:
    english_start = Policy(HOTEL, TODAY, "en")
    reply = english_start.reply(caller("scusi, avete il wifi in albergo?"))
    assert reply.language == "it"
    assert reply.action == CallTool("get_hotel_info", {"topic": "wifi"})
