"""Taking a booking in the fallback dialogue: room, name, e-mail, phone, requests, yes.

After an availability answer the caller may book one of the offers ("I'll take the
double", "la prendo"). The policy collects the details one question at a time into the
state's :class:`BookingDraft`, then calls ``book_room``: its first answer is the read-back
(nothing booked). On the caller's yes the receptionist marks that read-back confirmed and
the policy calls ``book_room`` again with the same arguments, which books; a no asks what
to change. Card numbers are never asked for (the guard rails refuse them anyway).
"""

from __future__ import annotations

from dataclasses import replace

from realtime_agent.fallback.actions import Action, Ask, CallTool
from realtime_agent.fallback.booking_words import (
    BookingDraft,
    choose_room,
    named_field,
    no_requests,
    parse_email,
    wants_to_book,
)
from realtime_agent.fallback.confirmations import accepts
from realtime_agent.fallback.dialogue_state import DialogueState
from realtime_agent.fallback.nlu import Intent, Slot, Understanding
from realtime_agent.fallback.replies import Replies
from realtime_agent.language.digits import phone_number
from realtime_agent.language.names import parse_name

BOOKING_SLOTS = frozenset(
    {
        Slot.ROOM,
        Slot.GUEST_NAME,
        Slot.FIRST_NAME,
        Slot.EMAIL,
        Slot.EMAIL_CONFIRM,
        Slot.PHONE_SAME,
        Slot.PHONE,
        Slot.NOTES,
        Slot.BOOKING_CONFIRM,
        Slot.BOOKING_CHANGE,
    }
)
MAX_MISSES = 3
MAX_WORDS_OF_A_NO = 4
"""A "no" to the special-requests question this short has no request in it ("no, we're
fine"); a longer one may ("no, but we will arrive late")."""
"""Answers in a row that fill no booking detail before the front desk is offered."""
_LEAVES_THE_BOOKING = (Intent.GOODBYE, Intent.TRANSFER, Intent.MESSAGE)

Decision = tuple[DialogueState, Action]


def booking_prompt(state: DialogueState, replies: Replies) -> str | None:
    """The booking question the caller still owes an answer to (None: not booking)."""
    draft = state.booking or BookingDraft()
    prompts = {
        Slot.ROOM: lambda: replies.ask_room(state.offers),
        Slot.GUEST_NAME: lambda: replies.ask_guest_name,
        Slot.FIRST_NAME: lambda: replies.ask_first_name,
        Slot.EMAIL: lambda: replies.ask_email,
        Slot.EMAIL_CONFIRM: lambda: replies.confirm_email(draft.email or ""),
        Slot.PHONE_SAME: lambda: replies.ask_phone_default,
        Slot.PHONE: lambda: replies.ask_phone,
        Slot.NOTES: lambda: replies.ask_notes,
        Slot.BOOKING_CHANGE: lambda: replies.ask_correction,
    }
    prompt = prompts.get(state.expecting) if state.expecting is not None else None
    return prompt() if prompt is not None else None


def decide_booking(
    state: DialogueState,
    u: Understanding,
    replies: Replies,
    text: str,
    *,
    booking_offered: bool = False,
) -> Decision | None:
    """The next booking step after a caller turn, or None when the turn is not about it.

    A goodbye, a wish for a person or for a message leaves the booking to the general
    dialogue (the details given so far stay in the state).
    """
    if u.intent in _LEAVES_THE_BOOKING:
        return None
    if state.expecting in BOOKING_SLOTS and state.booking is not None:
        return _answer(state, state.expecting, u, replies, text)
    if not state.offers or u.intent in (Intent.RESERVATION, Intent.HOTEL_INFO):
        return None
    language = state.language
    room = choose_room(text, language, state.offers)
    wants = wants_to_book(text, language)
    if room is None and u.says_stay:
        return None  # a new stay to check, not a booking of one offered ("the first" is both)
    if room is not None and _changes_the_stay(state, u):
        # "make that three nights instead", "we'd be three": the offers were for another
        # stay, and the number is the stay's, not the third room's
        return None
    if wants or (booking_offered and (u.intent is Intent.AFFIRM or room is not None)):
        draft = _with_name(state.booking or BookingDraft(), u)  # "book it, the name is …"
        if room is not None:
            draft = replace(draft, room=room)
        elif draft.room is None and len(state.offers) == 1:
            draft = replace(draft, room=state.offers[0])
        return next_step(replace(state, booking=draft), replies)
    if booking_offered and u.intent is Intent.DENY:
        return replace(state, expecting=None), Ask(replies.what_else)
    return None


def _changes_the_stay(state: DialogueState, u: Understanding) -> bool:
    """Does the turn give the heard stay other nights or another party?

    Not dates: "the first one" reads as the 1st of the month too, and chooses a room.
    """
    nights = state.nights
    if nights is None and state.arrival and state.departure:
        nights = (state.departure - state.arrival).days
    said = ((u.nights, nights), (u.adults, state.adults), (u.children, state.children))
    return any(new is not None and new != old for new, old in said)


def _with_name(draft: BookingDraft, u: Understanding) -> BookingDraft:
    """The guest's name said along with the wish or the room; one asked for already stays."""
    if draft.last_name is not None or u.last_name is None:
        return draft
    return replace(draft, first_name=u.first_name, last_name=u.last_name)


def next_step(state: DialogueState, replies: Replies) -> Decision:
    """Ask for the first detail still missing; with all of them, call ``book_room``."""
    draft = state.booking or BookingDraft()
    missing = (
        (draft.room is None, Slot.ROOM),
        (draft.last_name is None, Slot.GUEST_NAME),
        (draft.first_name is None, Slot.FIRST_NAME),
        (draft.email is None, Slot.EMAIL),
        (not draft.email_confirmed, Slot.EMAIL_CONFIRM),
        (draft.phone is None, Slot.PHONE_SAME),
        (draft.notes is None, Slot.NOTES),
    )
    state = replace(state, misunderstood=0)
    for is_missing, slot in missing:
        if is_missing:
            state = replace(state, booking=draft, expecting=slot)
            return state, Ask(booking_prompt(state, replies) or "", slot)
    state = replace(state, booking=replace(draft, read_back=False), expecting=None)
    return state, CallTool("book_room", draft.arguments())


def _ask_again(state: DialogueState, replies: Replies) -> Decision:
    """Ask the same question again; after the third miss in a row, offer the front desk."""
    misunderstood = state.misunderstood + 1
    if misunderstood >= MAX_MISSES:
        # The details so far stay: "book it" later goes on from where the caller was.
        state = replace(state, misunderstood=0, expecting=None, offered="not_understood")
        return state, Ask(replies.offer_front_desk)
    state = replace(state, misunderstood=misunderstood)
    return state, Ask(booking_prompt(state, replies) or replies.not_understood, state.expecting)


def _drop(state: DialogueState, replies: Replies) -> Decision:
    """The caller does not want to book after all."""
    return replace(state, booking=None, expecting=None), Ask(replies.what_else)


def _answer(
    state: DialogueState, slot: Slot, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """Fill the slot the policy asked for, then go on to the next question."""
    draft = state.booking or BookingDraft()
    language = state.language

    def with_draft(**changes: object) -> Decision:
        return next_step(replace(state, booking=replace(draft, **changes)), replies)

    if slot is Slot.ROOM:
        if (room := choose_room(text, language, state.offers)) is not None:
            named = _with_name(draft, u)  # "the double, for Peter Collins"
            return with_draft(room=room, first_name=named.first_name, last_name=named.last_name)
        return _drop(state, replies) if u.intent is Intent.DENY else _ask_again(state, replies)
    if slot in (Slot.GUEST_NAME, Slot.FIRST_NAME):
        name = parse_name(text, expecting_last_name=True, language=language)
        if slot is Slot.FIRST_NAME and (name.first or name.last):
            if name.first and name.last:
                return with_draft(first_name=name.first, last_name=name.last)
            return with_draft(first_name=name.first or name.last)
        if slot is Slot.GUEST_NAME and name.last:
            return with_draft(first_name=name.first, last_name=name.last)
        return _drop(state, replies) if u.intent is Intent.DENY else _ask_again(state, replies)
    if slot is Slot.EMAIL:
        if (email := parse_email(text, language)) is not None:
            return with_draft(email=email, email_confirmed=False)
        return _ask_again(state, replies)
    if slot is Slot.EMAIL_CONFIRM:
        # A new address ("no, it is anna dot smith at ...") is read back in its turn.
        if (email := parse_email(text, language)) is not None:
            return with_draft(email=email, email_confirmed=email == draft.email)
        if u.intent is Intent.AFFIRM:
            return with_draft(email_confirmed=True)
        if u.intent is Intent.DENY:
            return with_draft(email=None, email_confirmed=False)
        return _ask_again(state, replies)
    if slot in (Slot.PHONE_SAME, Slot.PHONE):
        if (number := phone_number(text, language=language)) is not None:
            return with_draft(phone=number)
        if u.same_number or (slot is Slot.PHONE_SAME and u.intent is Intent.AFFIRM):
            return with_draft(phone="")
        if slot is Slot.PHONE_SAME and u.intent is Intent.DENY:
            state = replace(state, expecting=Slot.PHONE)
        return _ask_again(state, replies)
    if slot is Slot.NOTES:
        # "No, nothing special" is no request; a question about the hotel is answered first
        # (the request is asked again after it); anything else is the request, as said.
        short_no = u.intent is Intent.DENY and len(text.split()) <= MAX_WORDS_OF_A_NO
        if no_requests(text, language) or short_no:
            return with_draft(notes="")
        if u.intent is Intent.HOTEL_INFO and u.topics:
            return None
        return with_draft(notes=text.strip()[:500])
    if slot is Slot.BOOKING_CONFIRM:
        if accepts(u, text, language, "book"):  # "yes", "ja, bitte buchen"; not "yes, but …"
            return state, CallTool("book_room", draft.arguments())
        state = replace(state, booking=replace(draft, read_back=False))
        if (field := named_field(text, language)) is not None:
            return _change(state, field, replies)
        if u.intent is Intent.HOTEL_INFO and u.topics:
            return None  # answered first; "book it" then reads the booking back again
        return replace(state, expecting=Slot.BOOKING_CHANGE), Ask(
            replies.ask_correction, Slot.BOOKING_CHANGE
        )
    # BOOKING_CHANGE: which detail, or the new detail itself.
    if (field := named_field(text, language)) is not None:
        return _change(state, field, replies)
    if (email := parse_email(text, language)) is not None:
        return with_draft(email=email, email_confirmed=False)
    if u.intent is Intent.AFFIRM or wants_to_book(text, language):
        return next_step(state, replies)  # nothing to change: read it back again
    return _ask_again(state, replies)


def _change(state: DialogueState, field: str, replies: Replies) -> Decision:
    """Forget one detail and ask for it again."""
    draft = state.booking or BookingDraft()
    if field == "notes":
        state = replace(state, expecting=Slot.NOTES)
        return state, Ask(replies.ask_notes, Slot.NOTES)
    cleared = {
        "room": {"room": None},
        "name": {"first_name": None, "last_name": None},
        "email": {"email": None, "email_confirmed": False},
        "phone": {"phone": None},
    }[field]
    return next_step(replace(state, booking=replace(draft, **cleared)), replies)
