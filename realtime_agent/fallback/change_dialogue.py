"""Changing and cancelling a booking in the fallback dialogue: verify, quote, yes, done.

"I want to cancel my booking", "can I move it to the 14th", "we are three now": the policy
keeps the wish as a :class:`ChangeDraft`, verifies the booking as for any reservation
question (code, last name, ``find_reservation``), then calls the change tool
(``realtime_agent.reservation_changes``). Its first answer is the quote (the fee or the
free-cancellation deadline, or the new stay's total): nothing has changed yet. An explicit
yes calls the tool again, which acts once; a no leaves the booking as it is. The words are
each language's ``changes.json`` catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from realtime_agent.fallback.actions import Action, Ask, CallTool
from realtime_agent.fallback.confirmations import accepts
from realtime_agent.fallback.nlu import Intent, Slot, Understanding
from realtime_agent.language import catalog, supported
from realtime_agent.language.phrases import phrase_positions
from realtime_agent.language.text import plain_words
from realtime_agent.reservation_changes import (
    CANCEL_TOOL,
    CHANGE_TOOL,
    CHANGE_TOOLS,
    KEEP,
    QUOTE_TOOL,
)
from realtime_agent.tool_results import (
    PMS_REFUSED,
    PMS_UNAVAILABLE,
    spoken_date,
    spoken_money,
    stay_date,
)

if TYPE_CHECKING:
    from realtime_agent.fallback.dialogue_state import DialogueState
    from realtime_agent.fallback.replies import Replies

Cue = Literal["cancel", "move", "extend"]
Decision = tuple["DialogueState", Action]
_SLOTS = (Slot.CHANGE_CONFIRM, Slot.CHANGE_DETAILS)


@dataclass(frozen=True)
class ChangeDraft:
    """What the caller wants done to their booking; empty fields stay as booked."""

    kind: Literal["cancel", "change"]
    arrival: str = ""
    departure: str = ""
    adults: int = 0
    children: int = KEEP

    @property
    def ready(self) -> bool:
        """A cancellation, or a change that says what changes."""
        return self.kind == "cancel" or bool(
            self.arrival or self.departure or self.adults or self.children != KEEP
        )

    def call(self) -> CallTool:
        """The tool call that quotes it (first) and does it (after the caller's yes)."""
        if self.kind == "cancel":
            return CallTool(CANCEL_TOOL, {})
        arguments = {"arrival": self.arrival, "departure": self.departure}
        return CallTool(CHANGE_TOOL, arguments | {"adults": self.adults, "children": self.children})


def _words(language: str) -> dict[str, Any]:
    return catalog(supported(language), "changes")


def cue_of(text: str, language: str) -> Cue | None:
    """Which change the caller's words ask for, the earliest cue first ("cancel" wins ties).

    A caller who corrects themselves ("umbuchen, äh, nee, eigentlich stornieren") means the
    cue after the correction: the first cue after the last correction word that follows
    the earliest cue.
    """
    words = plain_words(text)
    cues = _words(language)["cues"]
    hits = [
        (position, order, kind)
        for order, kind in enumerate(("cancel", "move", "extend"))
        for position, _ in phrase_positions(words, tuple(cues[kind]))
    ]
    if not hits:
        return None
    first = min(hits)
    corrected = [p for p, _ in phrase_positions(words, tuple(cues.get("corrections", ())))]
    last_correction = max((p for p in corrected if p > first[0]), default=None)
    later = [h for h in hits if last_correction is not None and h[0] > last_correction]
    return (min(later) if later else first)[2]  # type: ignore[return-value]


def _with_stay(
    draft: ChangeDraft, u: Understanding, cue: Cue | None, *, until: bool = False
) -> ChangeDraft:
    """The draft with the dates and guests of this turn; a lone date moves the arrival.

    With an extend cue, or an "until" word ("bis zum 14."), a lone date is the new departure.
    """
    arrival, departure = u.arrival, u.departure
    if arrival is None and departure is not None and cue != "extend" and not until:
        arrival, departure = departure, None  # "move it to the 14th": the new arrival
    if arrival is not None and departure is None and u.nights:
        departure = arrival + timedelta(days=u.nights)
    return replace(
        draft,
        kind="change",
        arrival=_iso(arrival) or draft.arrival,
        departure=_iso(departure) or draft.departure,
        adults=u.adults or draft.adults,
        children=u.children if u.children is not None else draft.children,
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def decide_change(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """The next step of a change or cancellation, or None when the turn is about else."""
    language, draft = state.language, state.change
    cue = cue_of(text, language)
    if draft is not None and state.expecting in _SLOTS:
        thing = "cancel" if draft.kind == "cancel" else "change"
        if state.expecting is Slot.CHANGE_CONFIRM and accepts(u, text, language, thing):
            return replace(state, expecting=None), draft.call()
        if cue == "cancel":
            return _go(state, ChangeDraft("cancel"), replies)
        moved = _with_stay(ChangeDraft("change"), u, cue, until=_has(text, language, "until"))
        if moved.ready:
            return _go(state, moved, replies)
        state = replace(state, change=None, expecting=None)
        if u.intent in (Intent.DENY, Intent.AFFIRM, Intent.UNKNOWN):
            return state, Ask(_line(replies, "kept"))
        return None  # another question: the general dialogue answers it
    if state.booking is not None and state.expecting is not None:
        return None  # taking a new booking: "change the e-mail" is that booking's
    verified = state.verified is not None
    if cue is None and verified and u.adults and _has(text, language, "now"):
        cue = "move"  # "we are three now"
    if cue is None and verified and (u.arrival or u.departure) and _has(text, language, "until"):
        cue = "extend"  # "could I stay until Sunday?" about the booking just verified
    if cue is None:
        return None
    # "cancel booking HV5891, the name's Bianchi": the code and name said with the wish count
    state = replace(
        state,
        confirmation_code=u.confirmation_code or state.confirmation_code,
        last_name=u.last_name or state.last_name,
    )
    if u.confirmation_code and state.verified not in (None, u.confirmation_code):
        state = replace(state, verified=None)  # another booking than the one verified
    if cue == "cancel":
        if u.intent is Intent.HOTEL_INFO and not verified:
            return None  # "can I cancel for free?": the policy, not this booking
        return _go(state, ChangeDraft("cancel"), replies)
    pricing = state.task is Intent.AVAILABILITY or state.arrival is not None or state.offers
    if not verified and pricing:
        return None  # other dates for a new stay being priced
    until = _has(text, language, "until")
    return _go(state, _with_stay(ChangeDraft("change"), u, cue, until=until), replies)


def _go(state: DialogueState, draft: ChangeDraft, replies: Replies) -> Decision:
    """Verify the booking first (as any reservation question); then quote the change."""
    state = replace(state, change=draft, misunderstood=0)
    if state.verified is None:
        state = replace(state, task=Intent.RESERVATION)
        if state.confirmation_code is None:
            return replace(state, expecting=Slot.CONFIRMATION_CODE), Ask(
                replies.ask_code, Slot.CONFIRMATION_CODE
            )
        if state.last_name is None:
            return replace(state, expecting=Slot.LAST_NAME), Ask(
                replies.ask_last_name, Slot.LAST_NAME
            )
        arguments = {"confirmation_code": state.confirmation_code, "last_name": state.last_name}
        return replace(state, expecting=None), CallTool("find_reservation", arguments)
    if not draft.ready:
        return replace(state, expecting=Slot.CHANGE_DETAILS), Ask(
            _line(replies, "ask_change"), Slot.CHANGE_DETAILS
        )
    return replace(state, expecting=None, task=None), draft.call()


def follow_up(state: DialogueState, last_tool: str) -> CallTool | None:
    """Right after the booking is verified, quote the change the caller asked for."""
    if last_tool == "find_reservation" and state.verified and state.change and state.change.ready:
        return state.change.call()
    return None


def after_change_tool(state: DialogueState, name: str, result: dict[str, Any]) -> DialogueState:
    """What a verification or a change tool's answer leaves (after the general rules ran)."""
    if name == "find_reservation" and result.get("found"):
        return replace(state, verified=str(result.get("confirmation_code") or "") or None)
    if name not in CHANGE_TOOLS:
        return state
    if result.get("error") in (PMS_UNAVAILABLE, PMS_REFUSED) or not result or name == QUOTE_TOOL:
        return replace(state, change=None)
    if result.get("needs_confirmation"):
        return replace(state, expecting=Slot.CHANGE_CONFIRM, task=None)
    if name == CHANGE_TOOL and not result.get("available", True):
        return replace(state, change=ChangeDraft("change"), expecting=Slot.CHANGE_DETAILS)
    if result.get("cancellable") is False and not result.get("already_cancelled"):
        return replace(state, change=None, expecting=None, offered="hotel_system")
    return replace(state, change=None, expecting=None, task=None)


def spoken_change(replies: Replies, name: str, data: dict[str, Any]) -> str | None:
    """A change tool's answer as said on the phone; None for what ``Replies`` says itself."""
    if name not in CHANGE_TOOLS or not data or "error" in data:
        return None
    language = replies.language
    money = {k: spoken_money(int(data[f"{k}_minor"]), str(data["currency"]), language)
             for k in ("fee", "total") if f"{k}_minor" in data}  # fmt: skip
    facts = {"code": data.get("confirmation_code", ""), **money}
    if data.get("free_until"):
        facts["until"] = spoken_date(date.fromisoformat(data["free_until"]), language)
    if name == CHANGE_TOOL:
        facts |= {"room": data["room_type"], "guests": _guests(replies, data)}
        facts["stay"] = replies.line("stay", arrival=_date(data, "arrival", language),
                                     departure=_date(data, "departure", language))  # fmt: skip
        key = "changed" if data.get("changed") else "change_quote"
        return _line(replies, key if data.get("available") else "change_unavailable", **facts)
    if data.get("cancelled"):
        return _line(replies, "cancelled_fee" if data.get("fee_minor") else "cancelled", **facts)
    if data.get("already_cancelled"):
        return _line(replies, "already_cancelled")
    if not data.get("cancellable"):
        reason = str(data.get("reason") or "").strip().rstrip(".")
        return _line(replies, "not_cancellable", reason=reason)
    prefix = "quote" if name == CANCEL_TOOL else "info"
    kind = "fee" if data.get("fee_minor") else "free_until" if data.get("free_until") else "free"
    return _line(replies, f"{prefix}_{kind}", **facts)


def spoken_tools(tools: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """The tool answers to speak: a verification followed by its change quote is said once."""
    names = [name for name, _ in tools]
    if "find_reservation" in names and any(n in CHANGE_TOOLS for n in names):
        return [(n, d) for n, d in tools if n != "find_reservation" or not d.get("found")]
    return tools


def _line(replies: Replies, key: str, **facts: Any) -> str:
    return str(_words(replies.language)["lines"][key]).format(**facts)


def _has(text: str, language: str, group: str) -> bool:
    return bool(phrase_positions(plain_words(text), tuple(_words(language)["cues"][group])))


def _date(data: dict[str, Any], field: str, language: str) -> str:
    """A date of the stay as a stay is said ("15 January"): no weekday, no year."""
    return stay_date(date.fromisoformat(str(data[field])), language)


def _guests(replies: Replies, data: dict[str, Any]) -> str:
    def count(what: str, n: int) -> str:
        return replies.line(f"{what}_{'one' if n == 1 else 'many'}", n=n)

    adults = count("adults", int(data["adults"]))
    if data.get("children"):
        return replies.line(
            "guests_and", adults=adults, children=count("children", int(data["children"]))
        )
    return adults
