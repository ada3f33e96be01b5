"""The fallback policy's honest path for what it cannot do: a transfer or a front-desk request.

Also a message for a guest (offered without saying whether they stay), a group of rooms
(a group enquiry, not an availability search), a message with its number in one sentence,
and the transfer that a front-desk booking guarantee makes.
"""

from __future__ import annotations

import json
import re
import string
from datetime import date

import pytest

from hotelvoice.contracts.hotels import BookingSettings
from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.dialogue import (
    Ask,
    CallTool,
    MessageTaken,
    Policy,
    Transfer,
    Turn,
)
from realtime_agent.fallback.nlu import Slot
from realtime_agent.fallback.service_requests import category_of, line, rooms_asked
from realtime_agent.front_desk_requests import REQUEST_TOOL
from realtime_agent.language import SUPPORTED_LANGUAGES, catalog

TODAY = date(2026, 12, 6)
LANGUAGES = sorted(SUPPORTED_LANGUAGES)


def caller(*texts: str) -> list[Turn]:
    return [Turn("caller", t) for t in texts]


def tool(result: dict, name: str = REQUEST_TOOL) -> Turn:
    return Turn("tool", json.dumps(result), tool_name=name)


REQUESTS = {  # language: (request, take it, yes, no, put me through)
    "en": ("Could you order me a taxi to the airport for tomorrow at six?", "take a request",
           "yes", "no", "put me through please"),
    "de": ("Können Sie mir für morgen um sechs ein Taxi zum Flughafen bestellen?",
           "nehmen Sie eine Anfrage auf", "ja", "nein", "verbinden Sie mich bitte"),
    "fr": ("Pouvez-vous me commander un taxi pour l'aéroport demain à six heures ?",
           "prenez une demande", "oui", "non", "passez-moi la réception"),
    "es": ("¿Me puede pedir un taxi al aeropuerto para mañana a las seis?",
           "tome nota de una solicitud", "sí", "no", "páseme con recepción"),
    "it": ("Mi può prenotare un taxi per domani alle sei?", "prenda nota di una richiesta",
           "sì", "no", "mi passi la reception"),
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_is_offered_read_back_and_passed_on_after_a_yes(language: str) -> None:
    ask, take, yes, _, _ = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    offer = policy.respond(caller(ask))
    assert offer == Ask(line(language, "offer"), Slot.REQUEST_CHOICE)
    turns = caller(ask, take)
    callback = Ask(line(language, "ask_callback_same"), Slot.REQUEST_CALLBACK_SAME)
    assert policy.respond(turns) == callback
    turns += caller(yes)
    arguments = {"category": "taxi", "details": ask, "callback_number": ""}
    assert policy.respond(turns) == CallTool(REQUEST_TOOL, arguments)
    turns.append(tool({"recorded": False, "needs_confirmation": True, "category": "taxi"}))
    read_back = policy.respond(turns)
    assert isinstance(read_back, Ask)
    assert read_back.slot is Slot.REQUEST_CONFIRM
    assert catalog(language, "requests")["names"]["taxi"] in read_back.text
    turns += caller(yes)
    assert policy.respond(turns) == CallTool(REQUEST_TOOL, arguments)
    turns.append(tool({"recorded": True, "reference": "042", "reference_spelled": "0-4-2"}))
    done = policy.respond(turns)
    assert isinstance(done, Ask)
    assert "0-4-2" in done.text
    assert done.slot is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_no_at_the_read_back_passes_nothing_on(language: str) -> None:
    ask, take, yes, no, _ = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    turns = [*caller(ask, take, yes), tool({"needs_confirmation": True, "category": "taxi"})]
    assert policy.respond([*turns, *caller(no)]) == Ask(line(language, "not_passed"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_put_me_through_transfers(language: str) -> None:
    ask, _, _, _, through = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    action = policy.respond(caller(ask, through))
    assert isinstance(action, Transfer)
    assert action.reason == "caller_request"


def test_another_callback_number_is_asked_for_after_a_no() -> None:
    policy = Policy(HOTEL, TODAY)
    turns = caller("I need a wake-up call at six", "yes", "no")
    assert policy.respond(turns) == Ask(line("en", "ask_callback"), Slot.REQUEST_CALLBACK)
    turns += caller("zero one five one two three four five six seven eight")
    action = policy.respond(turns)
    assert isinstance(action, CallTool)
    assert action.arguments["callback_number"] == "01512345678"


@pytest.mark.parametrize(
    ("language", "text", "category"),
    [
        ("en", "I was charged twice for my room", "billing"),
        ("en", "can I book a table for two at your restaurant tonight", "restaurant"),
        ("en", "I left my charger in the room", "lost_property"),
        ("de", "Ich möchte einen Weckruf für sieben Uhr", "wake_up"),
        ("de", "Die Heizung funktioniert nicht", "complaint"),
        ("fr", "Je voudrais réserver un massage", "spa"),
        ("fr", "On m'a facturé deux fois la chambre", "billing"),
        ("es", "¡Me han cobrado la habitación dos veces!", "billing"),
        ("es", "Quiero poner una queja", "complaint"),
        ("it", "Ho dimenticato il caricatore in camera", "lost_property"),
        ("it", "Vorrei prenotare un tavolo per due al ristorante", "restaurant"),
    ],
)
def test_categories_come_from_the_callers_words(language: str, text: str, category: str) -> None:
    assert category_of(text, language) == category
    action = Policy(HOTEL, TODAY, language).respond(caller(text))
    assert action == Ask(line(language, "offer"), Slot.REQUEST_CHOICE)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "a double room for two adults from the 3rd to the 5th of January"),
        ("en", "is breakfast included"),
        ("de", "Haben Sie ein Zimmer vom 3. bis 5. Januar?"),
    ],
)
def test_ordinary_questions_are_no_requests(language: str, text: str) -> None:
    action = Policy(HOTEL, TODAY, language).respond(caller(text))
    assert not (isinstance(action, Ask) and action.slot is Slot.REQUEST_CHOICE)


@pytest.mark.parametrize(
    ("language", "text", "rooms"),
    [
        ("en", "we need 12 rooms for a conference in March", 12),
        ("de", "Wir brauchen zwölf Zimmer für eine Tagung im März", 12),
        ("fr", "Il nous faut quinze chambres pour un mariage en juin", 15),
        ("es", "Necesitamos diez habitaciones para un congreso", 10),
        ("it", "Ci servono venti camere per un convegno a maggio", 20),
    ],
)
def test_more_rooms_than_the_threshold_are_a_group_enquiry(
    language: str, text: str, rooms: int
) -> None:
    assert rooms_asked(text, language) == rooms
    policy = Policy(HOTEL, TODAY, language)
    assert policy.respond(caller(text)) == Ask(line(language, "offer_group"), Slot.REQUEST_CHOICE)
    _, take, yes, _, _ = REQUESTS[language]
    action = policy.respond(caller(text, take, yes))
    assert isinstance(action, CallTool)
    assert action.arguments["category"] == "group_enquiry"
    # A hotel that takes larger bookings by phone searches availability instead.
    large = Policy(HOTEL, TODAY, language, booking=BookingSettings(group_threshold_rooms=30))
    assert large.respond(caller(text)) != Ask(line(language, "offer_group"), Slot.REQUEST_CHOICE)


GUESTS = {  # language: (where is my friend?, the message, a one-sentence message for a guest)
    "en": ("What room is my friend Anna Schmidt in?", "tell her I will be late",
           "Please tell my friend Anna Schmidt in room 214 that I will be late tonight"),
    "de": ("In welchem Zimmer wohnt mein Freund Paul Weber?", "sagen Sie ihm, ich komme später",
           "Sagen Sie meinem Freund Paul Weber bitte, dass ich heute später komme"),
    "fr": ("Dans quelle chambre est mon amie Claire Martin ?", "dites-lui que j'arrive tard",
           "Dites à mon amie Claire Martin que j'arriverai en retard ce soir"),
    "es": ("¿En qué habitación está mi amigo Pablo Ruiz?", "dígale que llego tarde",
           "Dígale a mi amigo Pablo Ruiz que llegaré tarde esta noche"),
    "it": ("In che camera alloggia la mia amica Giulia Conti?", "le dica che arrivo tardi",
           "Dica alla mia amica Giulia Conti che stasera arriverò in ritardo"),
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_for_a_guest_confirms_nobody(language: str) -> None:
    where, message, _ = GUESTS[language]
    _, _, yes, _, _ = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    offer = policy.respond(caller(where))
    assert offer == Ask(line(language, "guest_offer"), Slot.GUEST_MESSAGE_CHOICE)
    assert not re.search(r"\d", offer.text)  # no room number, no name
    turns = caller(where, yes)
    assert policy.respond(turns) == Ask(line(language, "guest_ask_message"), Slot.GUEST_MESSAGE)
    turns += caller(message)
    assert policy.respond(turns).slot is Slot.CALLBACK_NUMBER
    taken = policy.respond([*turns, *caller("0151 2345678")])
    assert isinstance(taken, MessageTaken)
    assert taken.message.text.startswith(line(language, "guest_mark"))
    assert message in taken.message.text
    assert where in taken.message.text
    assert taken.message.callback_number == "01512345678"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_for_a_guest_said_at_once_is_not_asked_for_again(language: str) -> None:
    _, _, said = GUESTS[language]
    _, _, yes, _, _ = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    assert policy.respond(caller(said)).slot is Slot.GUEST_MESSAGE_CHOICE
    assert policy.respond(caller(said, yes)).slot is Slot.CALLBACK_NUMBER
    taken = policy.respond(caller(said, yes, "0151 2345678"))
    assert isinstance(taken, MessageTaken)
    assert said in taken.message.text


ONE_SENTENCE = {
    "en": "Tell the manager the heating in 214 is broken, call me on 0151 2345678",
    "de": "Sagen Sie dem Manager, die Heizung in 214 ist kaputt, rufen Sie mich unter 0151 2345678 an",  # noqa: E501
    "fr": "Dites au directeur que le chauffage de la 214 est en panne, rappelez-moi au 0151 2345678",  # noqa: E501
    "es": "Dígale al gerente que la calefacción de la 214 no va, llámeme al 0151 2345678",
    "it": "Dica al direttore che il riscaldamento della 214 è guasto, mi chiami al 0151 2345678",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_with_its_number_in_one_sentence_is_taken_at_once(language: str) -> None:
    said = ONE_SENTENCE[language]
    taken = Policy(HOTEL, TODAY, language).respond(caller(said))
    assert isinstance(taken, MessageTaken)
    assert taken.message.text == said
    assert taken.message.callback_number == "01512345678"  # not glued to the room's 214


def test_a_message_with_its_number_after_the_question_is_not_asked_for_again() -> None:
    policy = Policy(HOTEL, TODAY)
    words = "the heating in room 214 is broken, call me on 0151 2345678"
    taken = policy.respond(caller("I'd like to leave a message", words))
    assert isinstance(taken, MessageTaken)
    assert (taken.message.text, taken.message.callback_number) == (words, "01512345678")


def test_a_front_desk_guarantee_transfers_after_the_booking() -> None:
    policy = Policy(HOTEL, TODAY)
    booked = {
        "booked": True,
        "code_spelled": "H as in Hotel, V as in Victor, one",
        "room_type": "Standard Double",
        "total_spoken": "200 euros",
        "guarantee": "front_desk",
        "transfer_to_front_desk": True,
    }
    action = policy.respond([*caller("yes"), tool(booked, "book_room")])
    assert isinstance(action, Transfer)
    assert action.reason == "booking_guarantee"
    assert "Victor" in action.text
    booked.update(guarantee="none", transfer_to_front_desk=False)
    assert isinstance(policy.respond([*caller("yes"), tool(booked, "book_room")]), Ask)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_request_word_english_has(language: str) -> None:
    english, other = catalog("en", "requests"), catalog(language, "requests")
    assert set(other) == set(english)
    assert set(other["categories"]) == set(english["categories"])
    assert set(other["names"]) == set(english["names"])
    assert set(other["replies"]) == set(english["replies"])
    for key, text in english["replies"].items():
        assert _fields(other["replies"][key]) == _fields(text), (language, key)
        assert len(other["replies"][key].split()) <= 40, (language, key)
    lists = ("room_words", "in_room_cues", "guest_tell_cues", "guest_ask_cues")
    assert all(other[k] for k in lists)


def test_a_number_said_with_no_answers_the_requests_callback_question() -> None:
    policy = Policy(HOTEL, TODAY)
    said = "no, call me on zero one five one two three four five six seven eight"
    action = policy.respond(caller("I need a taxi at six tomorrow", "take a request", said))
    assert isinstance(action, CallTool)
    assert action.name == REQUEST_TOOL
    assert action.arguments["callback_number"] == "01512345678"


def test_a_new_wish_instead_of_an_answer_leaves_the_request() -> None:
    policy = Policy(HOTEL, TODAY)
    state, action = policy.replay(caller("I need a taxi at six tomorrow", "is breakfast included"))
    assert state.request is None
    assert action == CallTool("get_hotel_info", {"topic": "breakfast"})


def test_after_the_guest_offer_a_question_is_answered_and_words_are_the_message() -> None:
    policy = Policy(HOTEL, TODAY)
    where = "What room is my friend Anna in?"
    state, action = policy.replay(caller(where, "is breakfast included"))
    assert action == CallTool("get_hotel_info", {"topic": "breakfast"})
    assert state.message_text is None
    asked = policy.respond(caller(where, "tell her I will be late tonight"))
    assert asked.slot is Slot.CALLBACK_NUMBER


@pytest.mark.parametrize(("rooms", "group"), [("two", False), ("three", True), ("four", True)])
def test_the_threshold_counts_as_a_group(rooms: str, group: bool) -> None:
    text = f"we need {rooms} rooms for the {TODAY.day + 10}th"
    action = Policy(HOTEL, TODAY, booking=BookingSettings(group_threshold_rooms=3)).respond(
        caller(text)
    )
    assert (action == Ask(line("en", "offer_group"), Slot.REQUEST_CHOICE)) is group


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "could you send an iron to my room"),
        ("de", "Können Sie mir ein Bügeleisen bringen?"),
        ("fr", "Pourriez-vous m'apporter un fer à repasser ?"),
        ("es", "¿Me puede traer una almohada más?"),
        ("it", "Mi può portare un cuscino in camera?"),
    ],
)
def test_a_wish_without_a_category_is_a_request_for_the_front_desk(
    language: str, text: str
) -> None:
    _, take, yes, _, _ = REQUESTS[language]
    policy = Policy(HOTEL, TODAY, language)
    assert policy.respond(caller(text)) == Ask(line(language, "offer"), Slot.REQUEST_CHOICE)
    action = policy.respond(caller(text, take, yes))
    assert isinstance(action, CallTool)
    assert action.arguments["category"] == "other"


def test_a_named_category_wins_over_other() -> None:
    assert category_of("could you arrange a taxi for me", "en") == "taxi"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I need a room for two nights from the 12th"),
        ("en", "could you send me the prices for next weekend"),
        ("it", "Mi può dire a che ora è la colazione?"),
    ],
)
def test_a_booking_or_a_question_is_no_other_request(language: str, text: str) -> None:
    assert category_of(text, language) == "other"  # the words alone would say so
    action = Policy(HOTEL, TODAY, language).respond(caller(text))
    assert not (isinstance(action, Ask) and action.slot is Slot.REQUEST_CHOICE)


def test_a_complaint_with_call_me_on_is_a_message_but_a_booking_with_a_number_is_not() -> None:
    policy = Policy(HOTEL, TODAY)
    complaint = "the heating in room 214 is broken, call me on 0151 2345678"
    taken = policy.respond(caller(complaint))
    assert isinstance(taken, MessageTaken)
    assert taken.message.callback_number == "01512345678"
    booking = policy.respond(caller("I would like to book a room, my number is 0151 2345678"))
    assert not isinstance(booking, MessageTaken)
