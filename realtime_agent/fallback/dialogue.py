"""The fallback dialogue policy: slot filling over the conversation, deterministic.

The policy keeps no hidden state. :func:`replay` folds the whole conversation (caller turns
and tool results) into a :class:`DialogueState`, and :func:`decide` picks the next action.
So the policy can take over a call mid-way from an LLM that failed, and the same
conversation always gets the same answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.nlu import InfoTopic, Intent, Slot, Understanding, understand
from realtime_agent.fallback.replies import Replies, replies_for

MAX_MISUNDERSTANDINGS = 3


@dataclass(frozen=True)
class Ask:
    """Say ``text`` and expect the caller to fill ``slot`` (or ``None``: anything)."""

    text: str
    slot: Slot | None = None


@dataclass(frozen=True)
class CallTool:
    """Call one tool with these arguments."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Goodbye:
    """Say goodbye; the call may end."""

    text: str


Action = Ask | CallTool | Goodbye


@dataclass(frozen=True)
class DialogueState:
    """What the caller wants and what they have told us so far."""

    task: Intent | None = None
    arrival: date | None = None
    departure: date | None = None
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    confirmation_code: str | None = None
    last_name: str | None = None
    expecting: Slot | None = None
    misunderstood: int = 0

    def heard(self, u: Understanding) -> DialogueState:
        """Merge what one caller turn said; a new task keeps the facts already given."""
        task = self.task
        if u.intent in (Intent.AVAILABILITY, Intent.RESERVATION):
            task = u.intent
        elif task is None and (u.arrival or u.adults) and not u.confirmation_code:
            task = Intent.AVAILABILITY
        elif task is None and u.confirmation_code:
            task = Intent.RESERVATION
        arrival = u.arrival or self.arrival
        nights = u.nights or self.nights
        departure = u.departure or self.departure
        if u.arrival and not u.departure and not u.nights:
            departure = None if self.nights is None else u.arrival + timedelta(days=self.nights)
        if arrival and nights and not u.departure:
            departure = arrival + timedelta(days=nights)
        return replace(
            self,
            task=task,
            arrival=arrival,
            departure=departure,
            nights=nights,
            adults=u.adults or self.adults,
            children=u.children if u.children is not None else self.children,
            confirmation_code=u.confirmation_code or self.confirmation_code,
            last_name=u.last_name or self.last_name,
        )

    def after_tool(self, name: str, output: str) -> DialogueState:
        """A tool answered: the task is done, or (a failed lookup) asked again."""
        if name == "find_reservation" and not _json(output).get("found", False):
            retry = bool(_json(output).get("attempts_left", 0))
            return replace(
                self,
                task=Intent.RESERVATION if retry else None,
                confirmation_code=None,
                last_name=None,
                expecting=Slot.CONFIRMATION_CODE if retry else None,
            )
        if name in ("check_availability", "find_reservation"):
            return replace(self, task=None, expecting=None)
        return replace(self, expecting=None)


def decide(
    state: DialogueState, u: Understanding, replies: Replies
) -> tuple[DialogueState, Action]:
    """The next action after a caller turn, and the state it leaves."""
    if u.intent is Intent.GOODBYE or (u.intent is Intent.DENY and state.task is None):
        return replace(state, expecting=None), Goodbye(replies.goodbye)
    if u.intent is Intent.TRANSFER:
        return replace(state, expecting=None), Ask(replies.front_desk)
    if u.intent is Intent.HOTEL_INFO and u.topics:
        return replace(state, expecting=None), CallTool(
            "get_hotel_info", {"topic": _TOPIC_ARGUMENT[u.topics[0]]}
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
    text = (
        replies.offer_front_desk
        if misunderstood >= MAX_MISUNDERSTANDINGS
        else replies.not_understood
    )
    return replace(state, misunderstood=misunderstood, expecting=None), Ask(text)


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
    return replace(state, expecting=None), CallTool("check_availability", arguments)


def _reservation(state: DialogueState, replies: Replies) -> tuple[DialogueState, Action]:
    if state.confirmation_code is None:
        slot = Slot.CONFIRMATION_CODE
        return replace(state, expecting=slot), Ask(replies.ask_code, slot)
    if state.last_name is None:
        return replace(state, expecting=Slot.LAST_NAME), Ask(replies.ask_last_name, Slot.LAST_NAME)
    arguments = {"confirmation_code": state.confirmation_code, "last_name": state.last_name}
    return replace(state, expecting=None), CallTool("find_reservation", arguments)


_TOPIC_ARGUMENT = {
    InfoTopic.CHECK_IN: "check_in",
    InfoTopic.CHECK_OUT: "check_out",
    InfoTopic.BREAKFAST: "breakfast",
    InfoTopic.PARKING: "parking",
    InfoTopic.PETS: "pets",
    InfoTopic.WIFI: "wifi",
    InfoTopic.CANCELLATION: "cancellation",
    InfoTopic.ADDRESS: "address",
    InfoTopic.PHONE: "phone",
}


@dataclass(frozen=True)
class Turn:
    """One step of the conversation as the policy sees it."""

    kind: str  # "caller" | "tool"
    text: str
    tool_name: str = ""


class Policy:
    """Replays a conversation and answers its last step."""

    def __init__(self, hotel: HotelInfo, today: date, language: str = "en") -> None:
        self.today = today
        self.language = language
        self.replies = replies_for(hotel, language)

    def replay(self, turns: list[Turn]) -> tuple[DialogueState, Action | None]:
        """Fold every turn; the action is the answer to the last caller turn (if last)."""
        state, action = DialogueState(), None
        for turn in turns:
            if turn.kind == "caller":
                u = understand(turn.text, today=self.today, expecting=state.expecting)
                state, action = decide(state, u, self.replies)
            else:
                state, action = state.after_tool(turn.tool_name, turn.text), None
        return state, action

    def respond(self, turns: list[Turn]) -> Action:
        """The next action: greet, answer a caller turn, or speak the tool results."""
        if not any(t.kind == "caller" for t in turns) and not any(t.kind == "tool" for t in turns):
            return Ask(self.replies.greeting)
        state, action = self.replay(turns)
        if action is not None:
            return action
        results = []
        for turn in reversed(turns):
            if turn.kind != "tool":
                break
            results.append(self.replies.tool_result(turn.tool_name, _json(turn.text)))
        return Ask(" ".join(reversed(results)), state.expecting)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
