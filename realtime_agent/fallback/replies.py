"""What the fallback policy says, in every language the receptionist speaks.

Every move of the policy (and of the SIP worker: menus, transfers, timers) is a named
member of :class:`Replies`; the words come from each language's ``replies.json`` catalog
(``realtime_agent/language/catalogs/<language>/``), which all have the same keys and
placeholders, including what is said about the hotel system (holding line, system down or
refusing). Replies use only facts from the hotel's configuration and from tool results,
which carry PMS-computed totals; dates and money are spoken in the caller's language by
``tool_results``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from hotelvoice.contracts.hotels import RecordingSettings
from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.booking import spoken_email, spoken_phone
from realtime_agent.language import (
    CATALOGS,
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    base_language,
    catalog,
)
from realtime_agent.language.speech import follow_up
from realtime_agent.tool_results import (
    PMS_REFUSED,
    PMS_UNAVAILABLE,
    spoken_amount,
    spoken_date,
    spoken_money,
    stay_date,
)

LINES: dict[str, dict[str, str]] = {
    language: catalog(language, "replies") for language in SUPPORTED_LANGUAGES
}
MAX_REPLY_WORDS = 40
"""A reply is phone-sized: at most 40 words (about 16 s of calm speech). An availability
answer that would be longer leaves out the breakfast note, then its dearest offers."""


def _said(key: str, why: str) -> property:
    """A fixed line of the catalog as a property of :class:`Replies` (``.ask_arrival``).

    Most moves of the policy say one line as it stands in the language's catalog; this keeps
    each of them one line here, documented, instead of a five-line method apiece.
    """

    def said(self: Replies) -> str:
        return self.line(key)

    return property(said, doc=why)


@dataclass(frozen=True)
class Replies:
    """The phrasing of every policy move for one hotel, in one language.

    ``recording`` is the hotel's recording configuration: it decides which greeting
    discloses what, and which key the greeting offers to decline with.
    """

    hotel: HotelInfo
    language: str = DEFAULT_LANGUAGE
    recording: RecordingSettings = field(default_factory=RecordingSettings)
    lines: Mapping[str, str] | None = field(default=None, compare=False)
    """The language's lines; by default its shipped ``replies.json``."""

    def _table(self) -> Mapping[str, str]:
        """The language's lines: ``lines``, else the shipped catalog."""
        return LINES[self.language] if self.lines is None else self.lines

    def line(self, key: str, **fields: Any) -> str:
        """One line of the language's table, with the hotel's name, phone and key filled in."""
        # A tool result's own fields win: the read-back's {phone} is the guest's number.
        facts = {
            "name": self.hotel.name,
            "phone": self.hotel.front_desk_phone,
            "key": self._spoken_key(),
        }
        return self._table()[key].format(**(facts | fields))

    def spell_letter(self, letter: str, word: str) -> str:
        """A letter spelled with its word: "H as in Hotel", "H wie Heinrich"."""
        return self.line("spell_letter", letter=letter, word=word)

    def _spoken_key(self) -> str:
        """The decline key as the caller hears it: a digit, or the word for * and #."""
        words = {"*": "key_star", "#": "key_hash"}
        key = self.recording.decline_key
        return self._table()[words[key]] if key in words else key

    def fixed_prompts(self) -> dict[str, str]:
        """Every line that needs only the hotel's facts: what the TTS cache is pre-warmed with.

        Greeting, menu, hold and transfer notices, goodbyes, apologies and questions are the
        same on every call, so they are synthesised once per hotel and language ahead of the
        first call; lines with tool results (dates, prices, names) are not fixed. Of the
        two greetings only the one this hotel's callers hear is spoken ahead.
        """
        prompts = {}
        unused = "greeting" if self.recording.record_calls else "greeting_recorded"
        for key in self._table():
            if key == unused:
                continue
            try:
                text = self.line(key)
            except KeyError:  # a tool-result template: it needs the call's facts
                continue
            if text.rstrip().endswith((".", "?", "!")) and len(text.split()) >= 3:
                prompts[key] = text  # whole utterances only; fragments are never said alone
        return prompts

    # -- Opening, small talk, closing ------------------------------------------------

    @property
    def greeting(self) -> str:
        """Hotel name, AI disclosure, open question.

        Where the hotel records calls, it says so and how to decline: say so, or press the
        hotel's key.
        """
        return self.line("greeting_recorded" if self.recording.record_calls else "greeting")

    recording_declined = _said(
        "recording_declined", "The caller declined recording: it has stopped (or never starts)."
    )

    recording_not_active = _said(
        "recording_not_active",
        "The caller declined recording where the hotel does not record calls.",
    )

    dtmf_menu = _said(
        "dtmf_menu", "Keypad menu: 1 new booking, 2 existing reservation, 0 front desk."
    )

    how_can_i_help = _said("how_can_i_help", "Open question after a greeting.")

    what_else = _said("what_else", "Open question after a finished task.")

    def closing(self, turn: int = 0) -> str:
        """A follow-up question after a finished task, varied by turn so calls don't drone."""
        return follow_up(self.language, turn) or self.line("anything_else")

    not_understood = _said(
        "not_understood", "What the policy can do, after a turn it could not place."
    )

    goodbye = _said("goodbye", "Closing line; the call may end.")

    # -- Slot filling ----------------------------------------------------------------

    ask_arrival = _said("ask_arrival", "Ask for the arrival date.")

    ask_departure = _said("ask_departure", "Ask for the departure date or the number of nights.")

    ask_adults = _said("ask_adults", "Ask how many adults stay.")

    ask_code = _said("ask_code", "Ask for the confirmation code.")

    ask_last_name = _said(
        "ask_last_name", "Ask for the last name on the booking (the second factor)."
    )

    # -- Taking a booking --------------------------------------------------------------

    offer_booking = _said("offer_booking", "After the offers: shall I book one of them?")

    def ask_room(self, rooms: list[str] | tuple[str, ...]) -> str:
        """Which of the offered rooms the caller wants."""
        return self.line("ask_room", options=", ".join(rooms))

    ask_guest_name = _said("ask_guest_name", "Ask for the guest's first and last name.")

    ask_first_name = _said("ask_first_name", "Only a last name was heard: ask for the first name.")

    ask_email = _said("ask_email", "Ask for the e-mail address the confirmation goes to, spelled.")

    def confirm_email(self, email: str) -> str:
        """Read the e-mail address back as heard, so a misheard letter is caught now."""
        return self.line("confirm_email", email=spoken_email(email, self.language))

    ask_phone_default = _said(
        "ask_phone_default", "Ask whether the number the caller calls from is the booking's phone."
    )

    ask_phone = _said("ask_phone", "Ask for another phone number.")

    ask_notes = _said("ask_notes", "Ask for special requests.")

    ask_correction = _said(
        "ask_correction", "The caller did not confirm the read-back: what should change?"
    )

    # -- Front desk, transfer, messages ----------------------------------------------

    front_desk = _said("front_desk", "The front desk's number, for when no transfer is possible.")

    offer_front_desk = _said(
        "offer_front_desk", "After repeated misunderstanding: offer to connect to the front desk."
    )

    holding_line = _said(
        "holding_line", "Said while a slow hotel-system lookup runs; never part of the dialogue."
    )

    fact_unknown = _said(
        "fact_unknown",
        "A question about the hotel nobody configured an answer to: refer, never invent.",
    )

    pms_unavailable = _said(
        "pms_unavailable",
        "The hotel system cannot be asked now: apologise, offer the front desk or a message.",
    )

    def pms_refused(self, reason: str) -> str:
        """The PMS refused: its reason, then the same offer as ``pms_unavailable``.

        The reason is the PMS's own words, relayed as they came; without one, the refusal
        is offered the front desk like an outage.
        """
        if not reason.strip():
            return self.pms_unavailable
        return self.line("pms_refused", reason=reason.strip().rstrip(".") + ".")

    transfer_notice = _said(
        "transfer_notice", "Said right before the worker transfers the call to the front desk."
    )

    transfer_failed = _said(
        "transfer_failed", "The transfer did not connect: apologise and offer to take a message."
    )

    hearing_lost = _said(
        "hearing_lost",
        "The speech recogniser failed for good mid-call: apologise, transfer to the front desk.",
    )

    hearing_lost_goodbye = _said(
        "hearing_lost_goodbye",
        "Hearing lost and the transfer failed: no message can be taken, give the number, end.",
    )

    ask_message = _said("ask_message", "Ask what message to pass on to the front desk.")

    call_failed = _said(
        "call_failed",
        "Something broke inside the call: apologise before the front desk or the hang-up.",
    )

    @property
    def ask_callback_number(self) -> str:
        """Ask for the callback number ("this number" means the caller id)."""
        return self.line("ask_callback_number")

    message_taken = _said("message_taken", "Confirm that the message was passed on.")

    # -- Timers the worker runs --------------------------------------------------------

    silence_reprompt = _said("silence_reprompt", "The caller has been silent: are you still there?")

    silence_goodbye = _said(
        "silence_goodbye", "The caller stayed silent after the reprompt: end the call."
    )

    max_duration_goodbye = _said(
        "max_duration_goodbye",
        "The call reached its maximum duration: end it, pointing to the front desk.",
    )

    # -- Guard rails -------------------------------------------------------------------

    refuse_card_details = _said(
        "refuse_card_details", "The caller read out card details: refuse, say they were not kept."
    )

    refuse_instructions = _said(
        "refuse_instructions",
        "The caller tried to instruct the receptionist: stay in role, politely.",
    )

    verification_required = _said(
        "verification_required", "Reservation details only after confirmation code and last name."
    )

    too_many_attempts = _said(
        "too_many_attempts", "Three failed lookups: no more tries, offer the front desk."
    )

    # -- Tool results ------------------------------------------------------------------

    def tool_result(self, name: str, data: dict[str, Any], turn: int = 0) -> str:
        """Speak a tool's JSON result; anything unreadable becomes an apology.

        ``turn`` (the caller turns so far) picks the variant of the closing question.
        """
        if data.get("error") == PMS_UNAVAILABLE:
            return self.pms_unavailable
        if data.get("error") == PMS_REFUSED:
            return self.pms_refused(str(data.get("reason", "")))
        if name == "check_availability" and "offers" in data:
            return self._offers(data)
        if name == "book_room":
            # Without a result the tool refused the details (no such room, no e-mail).
            return self._booking(data, turn) if "booked" in data else self.ask_correction
        if name == "find_reservation" and "found" in data:
            return self._reservation(data, turn)
        if name == "get_hotel_info" and data.get("known") is False:
            return self.line("knowledge_unknown")  # honest, with the front desk offered
        if name == "get_hotel_info" and "answer" in data:
            return self.line("hotel_info", answer=data["answer"], follow_up=self.closing(turn))
        if name == "transfer_to_front_desk":
            return "" if data.get("connected") else self.transfer_failed
        if name == "end_call":
            return ""  # the goodbye was said with the call; the line is closing
        if name == "take_message" and data.get("stored", True):
            return self.message_taken
        return self.line("tool_error")

    def _offers(self, data: dict[str, Any]) -> str:
        """At most three offers, cheapest first, each with its total and price per night.

        Phone-sized: over ``MAX_REPLY_WORDS`` the breakfast note goes, then the dearest
        offers (counted with the others left for "more"). With no room for the whole party
        but rooms free, the largest room's capacity and several rooms are offered.
        """
        stay = self._stay(data)
        if not data["offers"]:
            if data.get("several_rooms"):
                return self._several_rooms(data)
            return self.line("fully_booked", stay=stay)
        offers = list(data["offers"])
        more = len(data.get("more_offers") or ())
        breakfast = all(o.get("breakfast_included", True) for o in offers)
        while True:
            text = self._offer_list(data, offers, more, breakfast)
            if len(text.split()) <= MAX_REPLY_WORDS or len(offers) == 1:
                return text
            if breakfast:
                breakfast = False
            else:
                offers, more = offers[:-1], more + 1

    def _offer_list(
        self, data: dict[str, Any], offers: list[dict[str, Any]], more: int, breakfast: bool
    ) -> str:
        options = self.line("offer_separator").join(
            self.line(
                "offer",
                room=o["room_type"],
                price=self._money(o),
                night_price=self._night(o, data["nights"]),
            )
            for o in offers
        )
        parts = [
            self.line("offers", stay=self._stay(data), guests=self._guests(data), options=options)
        ]
        if breakfast:
            parts.append(self.line("breakfast_included"))
        if more:
            parts.append(self.line("more_offers", n=more))
        parts.append(self.line("book_one"))
        return " ".join(parts)

    def _several_rooms(self, data: dict[str, Any]) -> str:
        """No room holds the party: the largest room's size, and several rooms instead."""
        split = data["several_rooms"]
        return self.line(
            "several_rooms",
            largest=data["largest_room_holds"],
            party=int(data["adults"]) + int(data.get("children") or 0),
            rooms=split["rooms"],
            room=split["room_type"],
            night_price=spoken_money(
                int(split["per_night_minor"]), str(split["currency"]), self.language
            ),
        )

    def _booking(self, data: dict[str, Any], turn: int = 0) -> str:
        """``book_room``: the read-back before the yes, or the code spelled after it."""
        if data.get("needs_confirmation"):
            # The e-mail and the phone were read back when given; the read-back stays short.
            notes = str(data.get("notes") or "").strip().rstrip(".")
            terms = str(data.get("cancellation_terms") or "").strip().rstrip(".")
            terms = terms[:1].upper() + terms[1:] + "." if terms else ""
            read_back = partial(
                self.line,
                "booking_read_back",
                room=data["room_type"],
                stay=self._stay(data),
                guests=self._guests(data),
                guest=f"{data['first_name']} {data['last_name']}",
                total=spoken_money(int(data["total_minor"]), str(data["currency"]), self.language),
                night_price=spoken_money(
                    int(data["per_night_minor"]), str(data["currency"]), self.language
                ),
                terms=terms,
                email=spoken_email(data["email"], self.language)
                if data.get("email")
                else self.line("no_email"),
                phone=spoken_phone(str(data.get("phone") or ""), self.language),
            )
            text = read_back(notes=self.line("booking_requests", notes=notes) if notes else "")
            if len(text.split()) > MAX_REPLY_WORDS:  # long requests are kept, not read out
                text = read_back(notes=self.line("booking_requests_kept"))
            return text
        parts = [self.line("booked", code=data["code_spelled"])]
        if data.get("confirmation_email"):
            parts.append(self.line("booked_email"))
        guarantee = data.get("guarantee")
        if guarantee in ("payment_link", "front_desk"):
            parts.append(self.line(f"booked_{guarantee}"))
        if guarantee != "front_desk":
            parts.append(self.closing(turn))
        return " ".join(parts)

    def _reservation(self, data: dict[str, Any], turn: int = 0) -> str:
        if data["found"]:
            status = str(data["status"])
            return self.line(
                "reservation_found",
                code=data["confirmation_code"],
                room=data["room_type"],
                stay=self._stay(data, full=True),
                status=self._table().get(f"status_{status}", ""),
                follow_up=self.closing(turn),
            )
        if data.get("attempts_left"):
            return self.line("reservation_retry")
        return self.too_many_attempts

    def _stay(self, data: dict[str, Any], *, full: bool = False) -> str:
        """From arrival to departure; ``full`` with weekday and year (a booking's read-back)."""
        return self.line(
            "stay",
            arrival=self._date(data, "arrival", full=full),
            departure=self._date(data, "departure", full=full),
        )

    def _date(self, data: dict[str, Any], field: str, *, full: bool = False) -> str:
        """The date in this reply's language; the tool's spoken text if no ISO date came.

        A stay being priced is short ("15 January"): the caller just named it. A booking
        read back to verify it is said in full, since it may lie beyond the coming year or
        in the past, and the weekday catches a misheard date.
        """
        try:
            day = date.fromisoformat(data[field])
            return spoken_date(day, self.language) if full else stay_date(day, self.language)
        except (KeyError, TypeError, ValueError):
            return str(data.get(f"{field}_spoken", ""))

    def _night(self, offer: dict[str, Any], nights: int = 0) -> str:
        """The price per night without its currency: the total just named it.

        Over several nights it is the average, rounded to whole units ("138 a night", not
        "137 con 66"): the exact figure is the total, said just before.
        """
        minor = int(offer.get("per_night_minor", offer["total_minor"]))
        if "per_night_minor" not in offer and nights:
            minor = int(offer["total_minor"]) // nights
        if nights > 1:
            minor = (minor + 50) // 100 * 100
        return spoken_amount(minor, self.language)

    def _money(self, offer: dict[str, Any]) -> str:
        return spoken_money(int(offer["total_minor"]), str(offer["currency"]), self.language)

    def _count(self, what: str, n: int) -> str:
        return self.line(f"{what}_{'one' if n == 1 else 'many'}", n=n)

    def _guests(self, data: dict[str, Any]) -> str:
        adults = self._count("adults", data["adults"])
        if data.get("children"):
            children = self._count("children", data["children"])
            return self.line("guests_and", adults=adults, children=children)
        return adults


def replies_for(
    hotel: HotelInfo,
    language: str = DEFAULT_LANGUAGE,
    recording: RecordingSettings | None = None,
    *,
    catalogs: Path = CATALOGS,
) -> Replies:
    """The phrasing for ``language`` ("de-AT" is German); unknown languages get English.

    Args:
        hotel: The hotel whose name and front desk number the lines use.
        language: The caller's language.
        recording: The hotel's recording settings (default: calls are not recorded).
        catalogs: Where the ``replies.json`` catalogs are; another folder than the shipped
            one serves a language that is not (yet) shipped.

    Returns:
        The replies for that hotel and language.
    """
    recording = recording or RecordingSettings()
    base = base_language(language)
    if catalogs != CATALOGS:
        return Replies(hotel, base, recording, catalog(base, "replies", catalogs))
    return Replies(hotel, base if base in LINES else DEFAULT_LANGUAGE, recording)


def call_failed_apology(language: str = DEFAULT_LANGUAGE) -> str:
    """The apology of a call that failed, in ``language`` (English if not shipped).

    It names no hotel, so it can be said when the hotel is unknown (the dialled number's
    lookup is what failed) or when building the hotel's :class:`Replies` would fail too.
    """
    base = base_language(language)
    return LINES[base if base in LINES else DEFAULT_LANGUAGE]["call_failed"]
