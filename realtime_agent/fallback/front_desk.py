"""Front-desk moves of the fallback policy: accepting an offer, taking a message.

Split from ``dialogue.py`` to keep it short. A message is taken in two turns (the words,
then the callback number) and handed to the worker as a structured ``CallerMessage``.
"""

from __future__ import annotations

from dataclasses import replace

from realtime_agent.fallback.actions import (
    Action,
    Ask,
    CallerMessage,
    Goodbye,
    MessageTaken,
    Transfer,
)
from realtime_agent.fallback.dialogue_state import DialogueState
from realtime_agent.fallback.nlu import Intent, Slot, Understanding
from realtime_agent.fallback.replies import Replies
from realtime_agent.fallback.service_requests import REQUEST_SLOTS, category_of, has_cue
from realtime_agent.language.digits import phone_number

MAX_CALLBACK_NUMBER_TRIES = 2
_OFFER_REASONS = {
    "hotel_system": "pms_unavailable",
    "several_rooms": "caller_request",
    "knowledge": "caller_request",
}
"""The call record's transfer reason for an accepted offer, where it is not the offer's name:
after a hotel-system outage the caller chose the front desk over a message."""
_SHORT_ANSWER_WORDS = 4  # "no thanks, bye" ends message taking; longer text is the message


def answer_to_offer(
    state: DialogueState, offered: str, u: Understanding, replies: Replies
) -> tuple[DialogueState, Action]:
    """A yes/no to "shall I connect you?" or "would you like to leave a message?"."""
    if u.intent is Intent.DENY:
        return replace(state, expecting=None), Ask(replies.what_else)
    if offered == "message":
        return ask_message(state, replies)
    return replace(state, expecting=None), Transfer(
        replies.transfer_notice, transfer_reason(offered)
    )


def transfer_reason(offered: str) -> str:
    """Why the transfer an accepted offer makes happens, as the call record names reasons."""
    return _OFFER_REASONS.get(offered, offered)


def ask_message(state: DialogueState, replies: Replies) -> tuple[DialogueState, Action]:
    """Start taking a message: ask for its words."""
    state = replace(state, task=Intent.MESSAGE, expecting=Slot.MESSAGE, misunderstood=0)
    return state, Ask(replies.ask_message, Slot.MESSAGE)


def whole_message(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> tuple[DialogueState, Action] | None:
    """A message and its callback number in one turn: taken at once, nothing asked again.

    "Tell the manager the heating in 214 is broken, call me on 0151 2345678": a wish for a
    message or a person, or "call me on" after a complaint or a wish the agent cannot
    fulfil, with a phone number inside and words around it ("book a room, my number is
    …" stays a booking).
    """
    if state.expecting in REQUEST_SLOTS:
        return None  # "no, call me on …" answers the request's callback question
    language = state.language
    call_me = has_cue(text, language, "callback_cues") and (
        u.intent is Intent.UNKNOWN or category_of(text, language) is not None
    )
    wants = u.intent in (Intent.MESSAGE, Intent.TRANSFER) or call_me
    if not wants or len(text.split()) <= _SHORT_ANSWER_WORDS:
        return None
    if (number := phone_number(text, language=state.language, last_run=True)) is None:
        return None
    return _taken(state, replies, text.strip(), number)


def _taken(
    state: DialogueState, replies: Replies, text: str, number: str | None
) -> tuple[DialogueState, Action]:
    message = CallerMessage(text, number, state.language)
    state = replace(state, task=None, expecting=None, message_text=None, misunderstood=0)
    return state, MessageTaken(replies.message_taken, message)


def message_text(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> tuple[DialogueState, Action]:
    """The caller's words are the message, unless they only said "no" or "bye".

    A number said with the message is its callback number: it is not asked for again.
    """
    short = len(text.split()) <= _SHORT_ANSWER_WORDS
    if not short and (number := phone_number(text, language=state.language, last_run=True)):
        return _taken(state, replies, text.strip(), number)
    if u.intent is Intent.GOODBYE and short:
        return replace(state, task=None, expecting=None), Goodbye(replies.goodbye)
    if u.intent is Intent.DENY and short:
        return replace(state, task=None, expecting=None), Ask(replies.what_else)
    if not text.strip():
        return state, Ask(replies.ask_message, Slot.MESSAGE)
    slot = Slot.CALLBACK_NUMBER
    state = replace(state, message_text=text.strip(), expecting=slot, misunderstood=0)
    return state, Ask(replies.ask_callback_number, slot)


def callback_number(
    state: DialogueState, u: Understanding, replies: Replies
) -> tuple[DialogueState, Action]:
    """A number, "this number" (the caller id) or, after two tries, the caller id anyway."""
    tries = state.misunderstood + 1
    if u.callback_number or u.same_number or u.intent is Intent.AFFIRM:
        tries = MAX_CALLBACK_NUMBER_TRIES
    if tries < MAX_CALLBACK_NUMBER_TRIES:
        state = replace(state, misunderstood=tries)
        return state, Ask(replies.ask_callback_number, Slot.CALLBACK_NUMBER)
    message = CallerMessage(state.message_text or "", u.callback_number, state.language)
    state = replace(state, task=None, expecting=None, message_text=None, misunderstood=0)
    return state, MessageTaken(replies.message_taken, message)
