"""What the fallback policy knows at one point of a call, folded from the turns so far.

Kept apart from the decisions (``dialogue.py``) so that each module reads in one sitting.
The state is immutable: every caller turn or tool result makes a new one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from realtime_agent.fallback.actions import MESSAGE_TOOL, TRANSFER_TOOL
from realtime_agent.fallback.booking_words import BookingDraft
from realtime_agent.fallback.change_dialogue import ChangeDraft, after_change_tool
from realtime_agent.fallback.nlu import Intent, Slot, Understanding
from realtime_agent.front_desk_requests import REQUEST_TOOL, RequestDraft
from realtime_agent.language_detection import CallLanguage
from realtime_agent.reservation_changes import CHANGE_TOOLS
from realtime_agent.tool_results import PMS_REFUSED, PMS_UNAVAILABLE

Offer = Literal[
    "not_verified", "not_understood", "message", "hotel_system", "several_rooms", "knowledge"
]
"""What a "yes" accepts: a transfer (named by its reason; "hotel_system": after the hotel
system could not answer, offered with a message; "several_rooms": no room holds the party,
the front desk books several; "knowledge": a question the hotel's knowledge base does not
answer) or taking a message."""
PMS_TOOLS = (
    frozenset({"check_availability", "find_reservation", "get_hotel_info", "book_room"})
    | CHANGE_TOOLS
)
"""The tools that ask the hotel system; their errors are the hotel system's, not the call's."""
HOTEL_SYSTEM_ERRORS = frozenset({PMS_UNAVAILABLE, PMS_REFUSED})
"""``error`` values of a PMS tool's output after which the front desk is offered."""


@dataclass(frozen=True)
class DialogueState:
    """What the caller wants and what they have told us so far.

    Attributes:
        call_language: The call's language and whether the last turn switched it.
        task: The caller's current goal (availability, reservation or a message).
        expecting: The slot the policy asked for last.
        misunderstood: Turns in a row the policy could not place.
        offered: What a "yes" now accepts: a transfer or taking a message.
        message_text: A message being taken, waiting for its callback number.
        offers: The room types of the last availability answer, in the order said.
        booking_offered: The last reply offered to book one of ``offers``.
        booking: A booking being taken (its details so far), or None.
        request: A request for the front desk being taken (``service_requests``), or None.
    """

    call_language: CallLanguage = field(default_factory=CallLanguage)
    task: Intent | None = None
    arrival: date | None = None
    departure: date | None = None
    nights: int | None = None
    adults: int | None = None
    children: int | None = None
    children_ages: tuple[int, ...] = ()
    confirmation_code: str | None = None
    last_name: str | None = None
    expecting: Slot | None = None
    misunderstood: int = 0
    offered: Offer | None = None
    message_text: str | None = None
    offers: tuple[str, ...] = ()
    booking_offered: bool = False
    booking: BookingDraft | None = None
    failed_lookup: tuple[str, str] | None = None
    """The code and name of the last lookup that found nothing, while retries are left."""
    request: RequestDraft | None = None
    verified: str | None = None
    """The confirmation code verified in this call (``find_reservation`` found it)."""
    change: ChangeDraft | None = None
    """A change or cancellation of the verified booking being asked for (``change_dialogue``)."""

    @property
    def language(self) -> str:
        """The language to understand and answer in."""
        return self.call_language.language

    @property
    def language_switched(self) -> bool:
        """The last caller turn changed the call's language."""
        return self.call_language.switched

    def heard(self, u: Understanding) -> DialogueState:
        """Merge what one caller turn said; a new task keeps the facts already given."""
        task = self.task
        if u.intent in (Intent.AVAILABILITY, Intent.RESERVATION):
            task = u.intent
        elif task is None and u.says_stay and not u.confirmation_code:
            # "make that three nights" after the offers: the same stay, checked again
            task = Intent.AVAILABILITY
        elif task is None and u.confirmation_code:
            task = Intent.RESERVATION
        arrival = u.arrival or self.arrival
        said_departure, said_nights = u.departure, u.nights
        if u.one_night and self.nights is not None:  # "for 3 nights" ... "tonight": 3 nights
            said_departure = said_nights = None
        nights = said_nights or self.nights
        departure = said_departure or self.departure
        if u.arrival and not said_departure and not said_nights:
            departure = None if self.nights is None else u.arrival + timedelta(days=self.nights)
        if arrival and nights and not said_departure:
            departure = arrival + timedelta(days=nights)
        return replace(
            self,
            task=task,
            arrival=arrival,
            departure=departure,
            nights=nights,
            adults=u.adults or self.adults,
            children=u.children if u.children is not None else self.children,
            children_ages=u.children_ages
            if u.children is not None or u.children_ages
            else self.children_ages,
            confirmation_code=u.confirmation_code or self.confirmation_code,
            last_name=u.last_name or self.last_name or self._name_for_new_code(u),
        )

    def _name_for_new_code(self, u: Understanding) -> str | None:
        """After a failed lookup, a different code alone keeps the name given with the old."""
        if self.failed_lookup is None or not u.confirmation_code:
            return None
        code, name = self.failed_lookup
        return (name or None) if u.confirmation_code != code else None

    def after_tool(self, name: str, output: str) -> DialogueState:
        """A tool answered: the task is done, asked again, or something is offered."""
        state = self._after_tool(name, output)
        return after_change_tool(state, name, parse_json(output))

    def _after_tool(self, name: str, output: str) -> DialogueState:
        result = parse_json(output)
        if name in PMS_TOOLS and result.get("error") in HOTEL_SYSTEM_ERRORS:
            # Nothing was looked up: a lookup that could not run is no failed attempt, and
            # the facts given so far stay for when the caller tries again.
            return replace(self, task=None, expecting=None, offered="hotel_system")
        if name == "find_reservation" and not result.get("found", False):
            retry = bool(result.get("attempts_left", 0))
            return replace(
                self,
                task=Intent.RESERVATION if retry else None,
                confirmation_code=None,
                last_name=None,
                # A corrected code alone is tried with the name given before ("It's HV
                # 2534"); the same code again means the name was wrong, so it is asked for.
                failed_lookup=(self.confirmation_code or "", self.last_name or "")
                if retry
                else None,
                expecting=Slot.CONFIRMATION_CODE if retry else None,
                offered=None if retry else "not_verified",
            )
        if name == TRANSFER_TOOL and not result.get("connected", False):
            return replace(self, task=None, expecting=None, offered="message")
        if name == "check_availability":
            offers = tuple(str(o.get("room_type", "")) for o in result.get("offers", ()))
            return replace(
                self,
                task=None,
                expecting=None,
                offers=offers,
                booking_offered=bool(offers),
                booking=None,
                message_text=None,
                # No room holds the party: the front desk books several rooms.
                offered="several_rooms" if result.get("several_rooms") else self.offered,
            )
        if name == "book_room":
            return self._after_booking(result)
        if name == REQUEST_TOOL and result.get("needs_confirmation"):
            return replace(self, task=None, expecting=Slot.REQUEST_CONFIRM)
        if name == REQUEST_TOOL:  # passed on (or refused): the request is done
            return replace(self, task=None, expecting=None, request=None)
        if name in ("find_reservation", MESSAGE_TOOL):
            return replace(self, task=None, expecting=None, message_text=None)
        if name == "get_hotel_info" and result.get("known") is False:
            return replace(self, expecting=None, offered="knowledge")  # "I don't know"
        return replace(self, expecting=None)

    def _after_booking(self, result: dict[str, Any]) -> DialogueState:
        """``book_room`` read the booking back, booked it, or refused its details."""
        if result.get("booked"):
            return replace(self, task=None, expecting=None, offers=(), booking=None)
        draft = self.booking or BookingDraft()
        if result.get("needs_confirmation"):
            return replace(
                self, expecting=Slot.BOOKING_CONFIRM, booking=replace(draft, read_back=True)
            )
        # The tool refused these details (no such room, not an e-mail address): ask what
        # to change; the details given so far stay.
        return replace(self, expecting=Slot.BOOKING_CHANGE, booking=replace(draft, read_back=False))


def parse_json(text: str) -> dict[str, Any]:
    """A tool's JSON output as a dict; anything else (an error text) as ``{}``."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
