"""What the fallback policy cannot do itself gets an honest path: a transfer or a request.

A taxi, a wake-up call, a double charge, a table in the restaurant: the policy has no tool
that does these, and must neither pretend nor drag the caller into the booking questions.
It says so and offers two ways on: the front desk now, or a request the front desk gets
(``request_front_desk``: category, the caller's words, a callback number, read back, an
explicit yes, then a reference). A caller asking for as many rooms as make a group
(``booking.group_threshold_rooms`` or more) gets the same path as a group enquiry for sales.

A message *for a guest* ("tell my friend in room 214 …", "what room is my friend in?") is
taken for the front desk to pass on, without saying whether anyone by that name stays.

The words are the language's ``requests.json`` catalog; this module only arranges them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from hotelvoice.contracts.hotels import BookingSettings
from realtime_agent.fallback.actions import Action, Ask, CallTool, Goodbye, Transfer
from realtime_agent.fallback.booking_dialogue import BOOKING_SLOTS
from realtime_agent.fallback.confirmations import accepts
from realtime_agent.fallback.dialogue_state import DialogueState
from realtime_agent.fallback.nlu import Intent, Slot, Understanding
from realtime_agent.fallback.replies import Replies
from realtime_agent.front_desk_requests import CATEGORIES, REQUEST_TOOL, RequestDraft
from realtime_agent.language import catalog, supported
from realtime_agent.language.digits import phone_number
from realtime_agent.language.numbers import find_numbers
from realtime_agent.language.phrases import phrase_positions
from realtime_agent.language.text import plain_words

Decision = tuple[DialogueState, Action]

REQUEST_SLOTS = frozenset(
    {
        Slot.REQUEST_CHOICE,
        Slot.REQUEST_CALLBACK_SAME,
        Slot.REQUEST_CALLBACK,
        Slot.REQUEST_CONFIRM,
        Slot.GUEST_MESSAGE_CHOICE,
        Slot.GUEST_MESSAGE,
    }
)
"""The questions of this module: an answer to one of them is read here first."""
DEFAULT_GROUP_THRESHOLD_ROOMS = BookingSettings().group_threshold_rooms
"""This many rooms or more are a group enquiry, where the hotel's settings say nothing else."""
_BUSY_SLOTS = BOOKING_SLOTS | {Slot.MESSAGE, Slot.CALLBACK_NUMBER}
"""Questions whose answer may name a taxi or a friend without asking for one (a booking's
special requests, a message's words)."""
_OTHER_WISHES = (Intent.HOTEL_INFO, Intent.RESERVATION, Intent.TRANSFER)
"""What a caller may ask instead of answering "shall I take a message?" ("tell her I am late
tonight" names a day, yet is the message)."""
MAX_TRIES = 2
"""Answers in a row that fit no option before the policy lets the general dialogue answer."""
_NOT_A_REQUEST = (Intent.HOTEL_INFO, Intent.TRANSFER, Intent.MESSAGE, Intent.GOODBYE)
"""Intents that a request cue in the same turn does not override ("spa hours" is a fact)."""


@cache
def _words(language: str) -> dict[str, Any]:
    """The language's ``requests.json``, cue phrases folded as the NLU folds caller words."""
    data = catalog(supported(language), "requests")

    def fold(phrases: list[str]) -> tuple[str, ...]:
        return tuple(" ".join(plain_words(p, language=language)) for p in phrases)

    cues = {k: fold(v) for k, v in data["categories"].items() if k in CATEGORIES}
    lists = (
        "room_words",
        "in_room_cues",
        "guest_tell_cues",
        "guest_ask_cues",
        "take_cues",
        "callback_cues",
    )
    return {**data, "categories": cues, **{k: fold(data[k]) for k in lists}}


def line(language: str, key: str, **fields: str) -> str:
    """One reply of the language's ``requests.json``."""
    return str(_words(language)["replies"][key]).format(**fields)


def category_of(text: str, language: str) -> str | None:
    """The request category the caller's words name first, or None.

    ``other`` ("could you send …", "ich brauche …") counts only where no category is named:
    "could you arrange a taxi" is a taxi.
    """
    words = plain_words(text, language=language)
    hits = [
        (category == "other", positions[0][0], category)
        for category, cues in _words(language)["categories"].items()
        if (positions := phrase_positions(words, cues))
    ]
    return min(hits)[2] if hits else None


def rooms_asked(text: str, language: str) -> int | None:
    """How many rooms the caller asks for ("12 rooms", "zwölf Zimmer"), or None."""
    words = plain_words(text, language=language)
    room_words = set(_words(language)["room_words"])
    counts = [
        n.value
        for n in find_numbers(words, language=language)
        if not n.ordinal and n.end < len(words) and words[n.end] in room_words
    ]
    return max(counts) if counts else None


def has_cue(text: str, language: str, group: str) -> bool:
    """The caller's words hold one of the catalog's ``group`` phrases."""
    return bool(phrase_positions(plain_words(text, language=language), _words(language)[group]))


def spoken_request(data: dict[str, Any], language: str) -> str | None:
    """What the policy says after ``request_front_desk`` answered (None: not that tool)."""
    if data.get("recorded"):
        return line(language, "recorded", reference=str(data.get("reference_spelled", "")))
    if data.get("needs_confirmation"):
        names = _words(language)["names"]
        what = names.get(str(data.get("category")), names["other"])
        spoken = str(data.get("callback_spoken", ""))
        callback = (
            line(language, "callback_number", number=spoken)
            if spoken
            else line(language, "callback_own")
        )
        return line(language, "read_back", what=what, callback=callback)
    return None


def decide_request(
    state: DialogueState,
    u: Understanding,
    replies: Replies,
    text: str,
    *,
    group_threshold_rooms: int,
) -> tuple[DialogueState, Action | None]:
    """The next step of a request, or no action when the turn is not about one.

    A turn that answers none of this module's questions (a new wish) leaves the request:
    the state comes back without it, for the general dialogue to answer the turn.
    """
    if state.expecting in REQUEST_SLOTS:
        decision = _answer(state, state.expecting, u, replies, text)
        if decision is None:
            return replace(_clear(state), message_text=None), None
        return decision
    if u.intent in _NOT_A_REQUEST or u.card_details or state.expecting in _BUSY_SLOTS:
        return state, None
    language = state.language
    rooms = rooms_asked(text, language)
    if rooms is not None and rooms >= group_threshold_rooms:
        draft = RequestDraft("group_enquiry", text.strip())
        return _offer(state, draft, line(language, "offer_group"))
    category = category_of(text, language)
    if category == "lost_property" and u.intent is Intent.RESERVATION:
        return state, None  # "I lost my confirmation code" is about the booking
    if category == "other" and not _other_request(u, text, language):
        return state, None  # "could you send me the price" is a question we answer
    if category is not None:
        return _offer(state, RequestDraft(category, text.strip()), line(language, "offer"))
    return state, None


def _other_request(u: Understanding, text: str, language: str) -> bool:
    """A wish without a category is a request when nothing else explains it.

    "Could you send an iron to my room" names a room, yet no stay: an in-house wish.
    """
    if u.intent is Intent.UNKNOWN:
        return True
    in_house = has_cue(text, language, "in_room_cues")
    return u.intent is Intent.AVAILABILITY and in_house and not u.says_stay


def guest_message(state: DialogueState, text: str) -> Decision | None:
    """A message for a guest or a question where one is: offer a message, confirm nobody."""
    if state.expecting in REQUEST_SLOTS | _BUSY_SLOTS:
        return None
    tells = has_cue(text, state.language, "guest_tell_cues")
    if not tells and not has_cue(text, state.language, "guest_ask_cues"):
        return None
    slot = Slot.GUEST_MESSAGE_CHOICE
    # "Tell my friend that …" is the message itself; "what room is Anna in?" says for whom.
    said = text.strip() if tells else None
    asked = None if tells else RequestDraft("other", text.strip())
    state = replace(state, task=None, expecting=slot, misunderstood=0, message_text=said)
    state = replace(state, request=asked)
    return state, Ask(line(state.language, "guest_offer"), slot)


def _offer(state: DialogueState, draft: RequestDraft, text: str) -> Decision:
    slot = Slot.REQUEST_CHOICE
    return replace(state, task=None, expecting=slot, misunderstood=0, request=draft), Ask(
        text, slot
    )


def _clear(state: DialogueState) -> DialogueState:
    return replace(state, expecting=None, misunderstood=0, request=None)


def _answer(
    state: DialogueState, slot: Slot, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """Fill the question this module asked last."""
    language = state.language
    if u.intent is Intent.GOODBYE:
        return _clear(state), Goodbye(replies.goodbye)
    if slot is Slot.GUEST_MESSAGE_CHOICE:
        return _guest_choice(state, u, replies, text)
    if slot is Slot.GUEST_MESSAGE:
        return _guest_words(state, u, replies, text)
    draft = state.request
    if draft is None:
        return None
    if slot is Slot.REQUEST_CHOICE:
        if u.intent is Intent.TRANSFER:
            return _clear(state), Transfer(replies.transfer_notice)
        if u.intent in (Intent.AFFIRM, Intent.MESSAGE) or has_cue(text, language, "take_cues"):
            return _ask(state, Slot.REQUEST_CALLBACK_SAME, line(language, "ask_callback_same"))
        if u.intent is Intent.DENY:
            return _clear(state), Ask(replies.what_else)
        if u.intent is not Intent.UNKNOWN:
            return None  # another wish ("what time is breakfast?"): answered instead
        return _again(state, line(language, "offer"))
    if slot in (Slot.REQUEST_CALLBACK_SAME, Slot.REQUEST_CALLBACK):
        if (number := phone_number(text, language=language)) is not None:
            return _record(state, replace(draft, callback=number))
        if u.same_number or (slot is Slot.REQUEST_CALLBACK_SAME and u.intent is Intent.AFFIRM):
            return _record(state, replace(draft, callback=""))
        if slot is Slot.REQUEST_CALLBACK_SAME and u.intent is Intent.DENY:
            return _ask(state, Slot.REQUEST_CALLBACK, line(language, "ask_callback"))
        return _again(state, line(language, "ask_callback"), Slot.REQUEST_CALLBACK)
    # REQUEST_CONFIRM: the read-back was heard; only an explicit yes passes it on.
    if accepts(u, text, language, "send"):
        return replace(state, expecting=None), CallTool(REQUEST_TOOL, draft.arguments())
    return _clear(state), Ask(line(language, "not_passed"))


def _guest_choice(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """Yes to "shall I take a message?": the words said already are the message, if any."""
    if u.intent is Intent.AFFIRM or u.intent is Intent.MESSAGE:
        if state.message_text:  # "tell my friend Anna in 214 that I'll be late"
            return _to_callback(state, state.message_text, replies)
        return _ask(state, Slot.GUEST_MESSAGE, line(state.language, "guest_ask_message"))
    state = replace(state, message_text=None)
    if u.intent is Intent.DENY:
        return _clear(state), Ask(replies.what_else)
    if u.intent in _OTHER_WISHES:
        return None  # answered instead: "what time is breakfast?" is no message
    if len(text.split()) >= 4:  # the message itself instead of a yes
        return _to_callback(state, text, replies)
    return _clear(state), Ask(replies.what_else)


def _guest_words(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    if u.intent is Intent.DENY and len(text.split()) <= 4:
        return _clear(replace(state, message_text=None)), Ask(replies.what_else)
    context = state.request.details if state.request is not None else ""
    return _to_callback(state, f"{context} {text.strip()}", replies)


def _to_callback(state: DialogueState, text: str, replies: Replies) -> Decision:
    """The message for the guest is set; the existing message path asks for the number."""
    marked = line(state.language, "guest_mark") + text.strip()
    slot = Slot.CALLBACK_NUMBER
    state = replace(state, task=Intent.MESSAGE, expecting=slot, misunderstood=0, request=None)
    return replace(state, message_text=marked), Ask(replies.ask_callback_number, slot)


def _ask(state: DialogueState, slot: Slot, text: str) -> Decision:
    return replace(state, expecting=slot, misunderstood=0), Ask(text, slot)


def _again(state: DialogueState, text: str, slot: Slot | None = None) -> Decision | None:
    """Ask once more; then let the general dialogue answer the turn."""
    if state.misunderstood + 1 >= MAX_TRIES:
        return None
    slot = slot or state.expecting
    return replace(state, expecting=slot, misunderstood=state.misunderstood + 1), Ask(text, slot)


def _record(state: DialogueState, draft: RequestDraft) -> Decision:
    """Call the tool: its first answer is the read-back, nothing is passed on yet."""
    state = replace(state, expecting=None, misunderstood=0, request=draft)
    return state, CallTool(REQUEST_TOOL, draft.arguments())
