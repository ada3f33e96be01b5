"""The fallback dialogue policy: slot filling over the conversation, deterministic.

The policy keeps no hidden state. :meth:`Policy.replay` folds the whole conversation
(caller turns, keypad presses and tool results) into a :class:`DialogueState`, and
:func:`decide` picks the next action. So the policy can take over a call mid-way from an
LLM that failed, and the same conversation always gets the same answer, in the same
language: the caller's language is detected turn by turn inside the replay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from hotelvoice.contracts.hotels import BookingSettings, RecordingSettings
from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.actions import (
    END_CALL_TOOL,
    MESSAGE_TOOL,
    TRANSFER_TOOL,
    Action,
    Ask,
    CallerMessage,
    CallTool,
    Goodbye,
    MessageTaken,
    Transfer,
)
from realtime_agent.fallback.booking_dialogue import (
    BOOKING_SLOTS,
    booking_prompt,
    decide_booking,
)
from realtime_agent.fallback.change_dialogue import (
    decide_change,
    follow_up,
    spoken_change,
    spoken_tools,
)
from realtime_agent.fallback.dialogue_state import DialogueState, parse_json
from realtime_agent.fallback.front_desk import (
    answer_to_offer,
    ask_message,
    callback_number,
    message_text,
    transfer_reason,
    whole_message,
)
from realtime_agent.fallback.knowledge_answers import hotel_question, known_question
from realtime_agent.fallback.nlu import Intent, Slot, Understanding, understand
from realtime_agent.fallback.replies import Replies, replies_for
from realtime_agent.fallback.service_requests import (
    DEFAULT_GROUP_THRESHOLD_ROOMS,
    decide_request,
    guest_message,
    spoken_request,
)
from realtime_agent.front_desk_requests import REQUEST_TOOL
from realtime_agent.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, base_language
from realtime_agent.language_detection import CallLanguage

__all__ = [
    "END_CALL_TOOL",
    "MESSAGE_TOOL",
    "TRANSFER_TOOL",
    "Action",
    "Ask",
    "CallTool",
    "CallerMessage",
    "DialogueState",
    "Goodbye",
    "MessageTaken",
    "Policy",
    "PolicyReply",
    "Transfer",
    "Turn",
    "decide",
]

MAX_MISUNDERSTANDINGS = 3
_TRANSFER_OFFERS = (
    "not_verified",
    "not_understood",
    "hotel_system",
    "several_rooms",
    "knowledge",
)
"""Offers of a transfer to the front desk ("message" offers to take one)."""
_KEY_PRESS = re.compile(r"\s*\[DTMF ([0-9*#])\]\s*")
"""A key press the worker puts into the chat as caller text, e.g. "[DTMF 1]"."""
_PROMPTS = {
    Slot.ARRIVAL: "ask_arrival",
    Slot.DEPARTURE: "ask_departure",
    Slot.ADULTS: "ask_adults",
    Slot.CONFIRMATION_CODE: "ask_code",
    Slot.LAST_NAME: "ask_last_name",
    Slot.MESSAGE: "ask_message",
    Slot.CALLBACK_NUMBER: "ask_callback_number",
}


def _then_prompt(lead: str, state: DialogueState, replies: Replies) -> str:
    """A refusal followed by the question the caller still owes us (or "what else?")."""
    if (booking := booking_prompt(state, replies)) is not None:
        return f"{lead} {booking}"
    follow_up = _PROMPTS.get(state.expecting, "what_else") if state.expecting else "what_else"
    return f"{lead} {getattr(replies, follow_up)}"


def decide(
    state: DialogueState,
    u: Understanding,
    replies: Replies,
    text: str = "",
    *,
    group_threshold_rooms: int = DEFAULT_GROUP_THRESHOLD_ROOMS,
) -> tuple[DialogueState, Action]:
    """The next action after a caller turn, and the state it leaves.

    Guard rails come first and never merge anything the turn said: card details are
    refused (the NLU already dropped the digits), instructions are declined in role, a
    message for a guest is offered without saying whether they stay, and a question about
    someone else's booking gets the verification rule. ``group_threshold_rooms``: this
    many rooms or more are a group enquiry for sales (the hotel's ``booking`` settings).
    """
    offered, state = state.offered, replace(state, offered=None)
    booking_offered, state = state.booking_offered, replace(state, booking_offered=False)
    if u.card_details:
        return state, Ask(
            _then_prompt(replies.refuse_card_details, state, replies), state.expecting
        )
    if not u.injection and (guest := guest_message(state, text)) is not None:
        return guest
    if u.other_guests and not (u.confirmation_code and u.last_name):
        lead = f"{replies.refuse_instructions} " if u.injection else ""
        slot = Slot.CONFIRMATION_CODE
        state = replace(
            state, task=Intent.RESERVATION, confirmation_code=None, last_name=None, expecting=slot
        )
        return state, Ask(lead + replies.verification_required, slot)
    if u.injection:
        return state, Ask(
            _then_prompt(replies.refuse_instructions, state, replies), state.expecting
        )
    if state.expecting is Slot.MESSAGE:
        return message_text(state, u, replies, text)
    if state.expecting is Slot.CALLBACK_NUMBER:
        return callback_number(state, u, replies)
    if state.expecting not in BOOKING_SLOTS and (m := whole_message(state, u, replies, text)):
        return m
    if offered is not None and u.intent in (Intent.AFFIRM, Intent.DENY):
        return answer_to_offer(state, offered, u, replies)
    if offered in _TRANSFER_OFFERS and u.intent is Intent.TRANSFER:
        # "Yes, put me through" accepts the offer: the transfer keeps the offer's reason.
        return replace(state, expecting=None), Transfer(
            replies.transfer_notice, transfer_reason(offered)
        )
    if (change := decide_change(state, u, replies, text)) is not None:
        return change
    if (known := known_question(state, u, replies, text)) is not None:
        return known  # "do you have a spa?" asks what the hotel wrote, not for a booking
    state, request = decide_request(
        state, u, replies, text, group_threshold_rooms=group_threshold_rooms
    )
    if request is not None:
        return state, request
    booking = decide_booking(state, u, replies, text, booking_offered=booking_offered)
    if booking is not None:
        return booking
    if u.intent is Intent.GOODBYE or (
        u.intent is Intent.DENY and state.task is None and not u.says_stay
    ):  # "no, three nights" after the offers corrects the stay, it does not end the call
        return replace(state, expecting=None), Goodbye(replies.goodbye)
    if u.intent is Intent.TRANSFER:
        return replace(state, expecting=None), Transfer(replies.transfer_notice)
    if u.intent is Intent.MESSAGE:
        return ask_message(state, replies)
    if (knowledge := hotel_question(state, u, replies, text)) is not None:
        return knowledge
    if u.intent is Intent.HOTEL_INFO and u.topics:
        return replace(state, expecting=None), CallTool(
            "get_hotel_info", {"topic": u.topics[0].value}
        )
    state = state.heard(u)
    if state.task is Intent.AVAILABILITY:
        return _availability(state, replies)
    if state.task is Intent.RESERVATION:
        return _reservation(state, replies)
    if u.intent is Intent.GREETING:
        return replace(state, expecting=None), Ask(replies.how_can_i_help)
    if u.intent is Intent.AFFIRM:
        return replace(state, expecting=None), Ask(replies.what_else)
    misunderstood = state.misunderstood + 1
    if misunderstood >= MAX_MISUNDERSTANDINGS:
        state = replace(state, misunderstood=0, expecting=None, offered="not_understood")
        return state, Ask(replies.offer_front_desk)
    return replace(state, misunderstood=misunderstood, expecting=None), Ask(replies.not_understood)


def decide_key(state: DialogueState, key: str, replies: Replies) -> tuple[DialogueState, Action]:
    """The next action after a keypad press in the menu of ``Replies.dtmf_menu``."""
    state = replace(state, offered=None, booking_offered=False, misunderstood=0)
    if key == "1":
        return _availability(replace(state, task=Intent.AVAILABILITY), replies)
    if key == "2":
        return _reservation(replace(state, task=Intent.RESERVATION), replies)
    if key == "0":
        return replace(state, expecting=None), Transfer(replies.transfer_notice)
    return state, Ask(replies.dtmf_menu, state.expecting)


def _availability(state: DialogueState, replies: Replies) -> tuple[DialogueState, Action]:
    if state.arrival is None:
        return replace(state, expecting=Slot.ARRIVAL), Ask(replies.ask_arrival, Slot.ARRIVAL)
    if state.departure is None or state.departure <= state.arrival:
        return replace(state, expecting=Slot.DEPARTURE), Ask(replies.ask_departure, Slot.DEPARTURE)
    if state.adults is None:
        return replace(state, expecting=Slot.ADULTS), Ask(replies.ask_adults, Slot.ADULTS)
    arguments = {
        "arrival": state.arrival.isoformat(),
        "departure": state.departure.isoformat(),
        "adults": state.adults,
        "children": state.children or 0,
    }
    if state.children_ages:  # priced by age where the PMS does (AvailabilityQuery)
        arguments["children_ages"] = list(state.children_ages)
    return replace(state, expecting=None), CallTool("check_availability", arguments)


def _reservation(state: DialogueState, replies: Replies) -> tuple[DialogueState, Action]:
    if state.confirmation_code is None:
        slot = Slot.CONFIRMATION_CODE
        return replace(state, expecting=slot), Ask(replies.ask_code, slot)
    if state.last_name is None:
        return replace(state, expecting=Slot.LAST_NAME), Ask(replies.ask_last_name, Slot.LAST_NAME)
    arguments = {"confirmation_code": state.confirmation_code, "last_name": state.last_name}
    return replace(state, expecting=None), CallTool("find_reservation", arguments)


@dataclass(frozen=True)
class Turn:
    """One step of the conversation as the policy sees it.

    ``kind`` is "caller" (what the caller said), "dtmf" (a key pressed, ``text`` = "1")
    or "tool" (a tool's output in ``text``, its name in ``tool_name``). Caller text of the
    form "[DTMF 1]" counts as a key press, so the worker can put keys into the chat.
    """

    kind: str
    text: str
    tool_name: str = ""


@dataclass(frozen=True)
class PolicyReply:
    """The next action together with the state it leaves.

    Attributes:
        action: What to say or do.
        state: The folded conversation; ``state.language`` is the call's language and
            ``state.language_switched`` tells whether the last caller turn changed it.
    """

    action: Action
    state: DialogueState

    @property
    def language(self) -> str:
        """The language ``action`` is phrased in."""
        return self.state.language

    @property
    def language_switched(self) -> bool:
        """The caller's last turn switched the call's language (new TTS voice)."""
        return self.state.language_switched


class Policy:
    """Replays a conversation and answers its last step."""

    def __init__(
        self,
        hotel: HotelInfo,
        today: date,
        language: str = DEFAULT_LANGUAGE,
        *,
        detect_language: bool = True,
        recording: RecordingSettings | None = None,
        booking: BookingSettings | None = None,
    ) -> None:
        """Set up the policy for one call.

        Args:
            hotel: The hotel answering.
            today: The call's date (for relative dates); the policy never reads the clock.
            language: The call's starting language (the hotel's or the dialled number's).
            detect_language: Follow the language the caller speaks (see
                ``language_detection.CallLanguage``); off, the call keeps ``language``.
            recording: The hotel's recording settings: the greeting discloses them.
            booking: The hotel's booking settings (how many rooms make a group enquiry).
        """
        base = base_language(language)
        self.group_threshold_rooms = (booking or BookingSettings()).group_threshold_rooms
        self.hotel = hotel
        self.today = today
        self.language = base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
        self.detect_language = detect_language
        self._replies = {lang: replies_for(hotel, lang, recording) for lang in SUPPORTED_LANGUAGES}
        self.replies = self._replies[self.language]

    def replies_in(self, language: str) -> Replies:
        """The phrasing in ``language`` (the starting language's if unknown)."""
        return self._replies.get(base_language(language), self.replies)

    def replay(self, turns: list[Turn]) -> tuple[DialogueState, Action | None]:
        """Fold every turn; the action is the answer to the last caller turn (if last)."""
        state, action = DialogueState(call_language=CallLanguage(self.language)), None
        for turn in turns:
            key = _KEY_PRESS.fullmatch(turn.text) if turn.kind == "caller" else None
            if turn.kind == "caller" and key is None:
                if self.detect_language:
                    state = replace(state, call_language=state.call_language.hear(turn.text))
                u = understand(
                    turn.text,
                    today=self.today,
                    expecting=state.expecting,
                    language=state.language,
                    known_arrival=state.arrival,
                )
                replies = self.replies_in(state.language)
                state, action = decide(
                    state, u, replies, turn.text, group_threshold_rooms=self.group_threshold_rooms
                )
                continue
            state = replace(state, call_language=replace(state.call_language, switched=False))
            if key is not None or turn.kind == "dtmf":
                pressed = key.group(1) if key is not None else turn.text.strip()
                state, action = decide_key(state, pressed, self.replies_in(state.language))
            else:
                state, action = state.after_tool(turn.tool_name, turn.text), None
        return state, action

    def reply(self, turns: list[Turn]) -> PolicyReply:
        """The next action (greet, answer a turn, or speak tool results) and the state."""
        if not turns:
            state = DialogueState(call_language=CallLanguage(self.language))
            return PolicyReply(Ask(self.replies.greeting), state)
        state, action = self.replay(turns)
        if action is not None:
            return PolicyReply(action, state)
        if (quote := follow_up(state, turns[-1].tool_name)) is not None:
            return PolicyReply(quote, state)  # verified: quote the change asked for
        replies = self.replies_in(state.language)
        results = []
        said = sum(t.kind == "caller" for t in turns)  # varies the closing question
        tools: list[tuple[str, dict[str, Any]]] = []
        for turn in reversed(turns):
            if turn.kind != "tool":
                break
            tools.insert(0, (turn.tool_name, parse_json(turn.text)))
        for name, data in spoken_tools(tools):
            request = spoken_request(data, state.language) if name == REQUEST_TOOL else None
            change = spoken_change(replies, name, data)
            results.append(request or change or replies.tool_result(name, data, said))
        text = " ".join(r for r in results if r)
        if turns[-1].tool_name == "book_room" and parse_json(turns[-1].text).get(
            "transfer_to_front_desk"
        ):
            # Booked, and the hotel guarantees phone bookings at the front desk: put through.
            return PolicyReply(Transfer(text, "booking_guarantee"), state)
        return PolicyReply(Ask(text, state.expecting), state)

    def respond(self, turns: list[Turn]) -> Action:
        """The next action: greet, answer a caller turn, or speak the tool results."""
        return self.reply(turns).action
