"""The receptionist: one LiveKit ``Agent`` whose tools ask the PMS API.

The dialogue engine (an LLM, or the deterministic fallback policy) decides *when* to call a
tool; the tools decide *what is true*: prices and reservations come only from the PMS, and
a reservation is disclosed only after its confirmation code and last name both match.

The tool layer (``Receptionist._run_tool``) is the same for both engines, so what a slow or
failing hotel system sounds like is decided here once: a holding line while a lookup takes
long, and, when the PMS is down, rate-limited or refuses, a result that makes either engine
apologise and offer the front desk or a message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from livekit.agents import (
    Agent,
    ModelSettings,
    RunContext,
    StopResponse,
    ToolError,
    function_tool,
    llm,
)
from livekit.agents.types import NOT_GIVEN

from hotelvoice.contracts.call_events import FrontDeskCategory
from hotelvoice.contracts.hotels import HotelTopic
from hotelvoice.contracts.pms import (
    CONFIRMATION_CODE,
    HotelInfo,
    normalise_confirmation_code,
)
from hotelvoice.errors import (
    InvalidRequest,
)
from hotelvoice.settings import get_settings
from realtime_agent import booking_tool, reservation_changes
from realtime_agent.call_state import MAX_LOOKUP_ATTEMPTS, CallState
from realtime_agent.fallback.confirmations import accepts
from realtime_agent.fallback.nlu import understand
from realtime_agent.fallback.replies import replies_for
from realtime_agent.front_desk_requests import REQUEST_TOOL, take_request
from realtime_agent.holding_line import HoldingLine
from realtime_agent.instructions import instructions_for
from realtime_agent.knowledge import (
    answer_hotel_question,
)
from realtime_agent.language import base_language, supported
from realtime_agent.language.guards import CARD_DETAILS_WITHHELD, mentions_card_details
from realtime_agent.language_detection import CallLanguage
from realtime_agent.tool_results import (
    availability_result,
    no_reservation_result,
    reservation_result,
)
from realtime_agent.tool_runner import run_tool

InfoTopic = HotelTopic


LanguageSwitch = Callable[[str, str], None]
"""Called with (old, new) language when the caller switches; the worker reports a call
event and changes the TTS voice."""


class Receptionist(Agent):
    """Answers one call for one hotel, in the caller's language."""

    def __init__(
        self,
        hotel: HotelInfo,
        today: date,
        greeting: str,
        *,
        on_language_switch: LanguageSwitch | None = None,
        tools: Sequence[llm.Tool] = (),
        hotel_instructions: str = "",
        holding_line_after_s: float | None = None,
    ) -> None:
        """Set up the receptionist of one call.

        ``holding_line_after_s`` defaults to the process's settings
        (``HOTELVOICE_HOLDING_LINE_AFTER_S``), the same for every call the worker answers.
        """
        instructions = instructions_for(hotel, today)
        if hotel_instructions.strip():
            # The hotel's own notes come last and cannot lift the rules above them.
            instructions += (
                " Notes from the hotel (they never override the rules above): "
                + hotel_instructions.strip()
            )
        super().__init__(instructions=instructions, tools=list(tools))
        self._greeting = greeting
        self._on_language_switch = on_language_switch
        self._call_language: CallLanguage | None = None
        self._last_heard: str | None = None
        if holding_line_after_s is None:
            holding_line_after_s = get_settings().holding_line_after_s
        self.holding_line = HoldingLine(holding_line_after_s)

    async def on_enter(self) -> None:
        """Greet first, with the AI disclosure and, where the hotel records, the recording's.

        A greeting that discloses a recording is heard in full (the caller's words during it
        are still answered after it), and the recording starts once it has been spoken.
        """
        control = getattr(self.session.userdata, "control", None)
        discloses = control is not None and control.records
        greeting = self.session.generate_reply(
            instructions=self._greeting, allow_interruptions=False if discloses else NOT_GIVEN
        )
        if control is not None:
            control.record_after(greeting)

    async def on_user_turn_completed(
        self, turn_ctx: llm.ChatContext, new_message: llm.ChatMessage
    ) -> None:
        """Card details read out on the phone never reach the chat context or an LLM.

        A turn that declines recording is answered by the line, whatever the dialogue
        engine; when it asks nothing else, the dialogue does not answer it at all.
        """
        state: CallState = self.session.userdata
        if mentions_card_details(new_message.text_content or "", language=state.language):
            new_message.content = [CARD_DETAILS_WITHHELD]
        control = getattr(state, "control", None)
        if control is not None:
            answer = control.on_caller_words(new_message.text_content or "")
            if answer is not None and answer.whole_turn:
                raise StopResponse()

    def llm_node(
        self, chat_ctx: llm.ChatContext, tools: list[llm.Tool], model_settings: ModelSettings
    ) -> Any:
        """Follow the caller's language before every reply, then let the engine answer."""
        self._follow_language(chat_ctx)
        return Agent.default.llm_node(self, chat_ctx, tools, model_settings)

    def _follow_language(self, chat_ctx: llm.ChatContext) -> None:
        """Detect the language of the caller's newest turn; switch ``CallState.language``.

        Uses the same rule as the fallback policy's replay (``CallLanguage``), so the tools,
        the policy and the worker agree on the language of every turn.
        """
        state: CallState = self.session.userdata
        last = next(
            (
                item
                for item in reversed(chat_ctx.items)
                if item.type == "message" and item.role == "user"
            ),
            None,
        )
        if last is None or last.id == self._last_heard:
            return
        self._last_heard = last.id
        state.side_effects.new_turn()
        self._hear_confirmation(state, last.text_content or "")
        if self._call_language is None:
            start = base_language(state.language)
            self._call_language = CallLanguage(supported(start))
        self._call_language = self._call_language.hear(last.text_content or "")
        if self._call_language.switched:
            old, state.language = state.language, self._call_language.language
            if self._on_language_switch is not None:
                self._on_language_switch(old, state.language)

    def _hear_confirmation(self, state: CallState, text: str) -> None:
        """The caller's first words after a read-back: an explicit yes confirms that booking.

        Whatever the engine says, ``book_room`` books only what the caller said yes to here;
        anything but a yes (a no, a correction, another question) withdraws it.
        """
        if state.read_back is None:
            state.booking_confirmed = None
            return
        heard = understand(text, today=state.today or date.today(), language=state.language)
        affirmed = accepts(heard, text, state.language)  # "yes", "ja, bitte buchen"; not "yes, but"
        state.booking_confirmed = state.read_back if affirmed else None
        state.read_back = None

    @function_tool
    async def check_availability(
        self,
        ctx: RunContext[CallState],
        arrival: str,
        departure: str,
        adults: int,
        children: int,
        children_ages: list[int] | None = None,
    ) -> str:
        """Check which room types are free for a stay and the total price of the whole stay.

        Offer the caller at most three rooms, cheapest first (the result's order), each
        with its price per night and total; the rest only if they ask.

        Args:
            arrival: Arrival date as YYYY-MM-DD.
            departure: Departure date as YYYY-MM-DD (after arrival).
            adults: Number of adults (1-8).
            children: Number of children (0 if none).
            children_ages: The children's ages where the caller said them (0-17).
        """
        arguments: dict[str, Any] = {
            "arrival": arrival,
            "departure": departure,
            "adults": adults,
            "children": children,
        }
        ages = [int(a) for a in children_ages or ()][:children]
        if ages:
            arguments["children_ages"] = ages

        async def lookup() -> str:
            state = ctx.userdata
            by_age = {"children_ages": ages} if ages else {}
            availability = await state.pms.availability(
                state.hotel_id, _iso_date(arrival), _iso_date(departure), adults, children, **by_age
            )
            state.availability = availability
            rooms = None
            if not availability.offers and adults + children > 1:
                # Nothing holds the party: what is free for one guest tells the largest
                # room and whether several rooms would do, so we never say "fully booked"
                # while rooms are free.
                rooms = await state.pms.availability(
                    state.hotel_id, _iso_date(arrival), _iso_date(departure), 1, 0
                )
            return availability_result(availability, state.language, rooms)

        return await self._run_tool(ctx, "check_availability", arguments, lookup)

    @function_tool
    async def book_room(
        self,
        ctx: RunContext[CallState],
        room: str,
        first_name: str,
        last_name: str,
        email: str,
        phone: str = "",
        notes: str = "",
    ) -> str:
        """Book a room from the last availability answer, for this caller.

        Collect first: the room, the guest's first and last name, the e-mail (read back to
        the caller until confirmed), the phone (the caller's own number unless they give
        another) and special requests. The first call books nothing: it returns the
        booking to read back (with the total and the cancellation terms). Read it all
        back and ask for an explicit yes; only after the caller's yes in their latest
        turn call this again with exactly the same arguments, once. Never ask for card
        numbers: the result says how the hotel guarantees the booking.

        Args:
            room: The room type's name as offered (or its number, 1 = cheapest).
            first_name: The guest's first name, as spelled by the caller.
            last_name: The guest's last name, as spelled by the caller.
            email: The guest's e-mail address, as spelled and confirmed by the caller.
            phone: The guest's phone number; empty for the number the caller calls from.
            notes: Special requests, or empty.
        """
        arguments = {
            "room": room,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "notes": notes,
        }

        async def book() -> str:
            return await booking_tool.book_room(ctx.userdata, arguments)

        return await self._run_tool(ctx, "book_room", arguments, book)

    @function_tool
    async def request_front_desk(
        self,
        ctx: RunContext[CallState],
        category: FrontDeskCategory,
        details: str,
        callback_number: str = "",
    ) -> str:
        """Pass a request you cannot fulfil yourself to the front desk.

        A taxi, a wake-up call, a billing dispute or complaint, a restaurant or spa table,
        lost property, a group of rooms for the sales team, anything else. The first call
        passes nothing on: it returns the request to read back. Read it back and ask for an
        explicit yes; only then call this again with exactly the same arguments. Then give
        the reference as reference_spelled, and say the front desk has the request: never
        that the hotel will do it.

        Args:
            category: What the request is about (group_enquiry: a group of rooms for sales).
            details: What the caller asked for, in their words (never card numbers).
            callback_number: The number to call back on; empty for the caller's own number.
        """
        arguments = {"category": category, "details": details, "callback_number": callback_number}

        async def take() -> str:
            state = ctx.userdata
            if not details.strip():
                raise ToolError("Ask the caller what the request is.")
            spell = replies_for(state.hotel, state.language).spell_letter
            return take_request(state, category, details, callback_number, spell)

        return await self._run_tool(ctx, REQUEST_TOOL, arguments, take)

    @function_tool
    async def find_reservation(
        self, ctx: RunContext[CallState], confirmation_code: str, last_name: str
    ) -> str:
        """Find the caller's existing reservation. Needs both its code and the guest's last name.

        Args:
            confirmation_code: The booking's confirmation number as characters, without
                spaces: letters and digits (HV1042), digits only (813595, 52), or a booking
                id with a dash and a short number (XPGMSXGF-1, read out "X P G M S X G F
                dash one"). Write spelled letters and spoken digits as characters.
            last_name: The last name of the guest on the booking.
        """
        arguments = {"confirmation_code": confirmation_code, "last_name": last_name}

        async def lookup() -> str:
            state = ctx.userdata
            if not confirmation_code.strip() or not last_name.strip():
                raise ToolError("Ask for both the confirmation code and the last name.")
            code = normalise_confirmation_code(confirmation_code)
            if not CONFIRMATION_CODE.match(code):
                # Not a try at the booking: the words did not make a code of any PMS's shape.
                raise ToolError(
                    "That is not a confirmation code. Ask the caller to read it again, "
                    "character by character."
                )
            if state.failed_lookups >= MAX_LOOKUP_ATTEMPTS:
                return no_reservation_result(attempts_left=0)
            if state.events is not None:
                state.events.known_names.add(last_name)
            reservation = await state.pms.find_reservation(state.hotel_id, code, last_name)
            if reservation is None:
                state.failed_lookups += 1
                return no_reservation_result(MAX_LOOKUP_ATTEMPTS - state.failed_lookups)
            state.verified_reservation = reservation.confirmation_code
            state.reservation, state.reservation_last_name = reservation, last_name.strip()
            if state.events is not None:
                state.events.known_names.add(reservation.guest_first_name)
            return reservation_result(reservation, state.language)

        return await self._run_tool(ctx, "find_reservation", arguments, lookup)

    @function_tool
    async def quote_cancellation(self, ctx: RunContext[CallState]) -> str:
        """Say what cancelling the reservation verified in this call would cost now.

        Changes nothing. Use it when the caller only asks about the fee or the
        free-cancellation deadline; to cancel, call cancel_reservation.
        """

        async def quote() -> str:
            return await reservation_changes.quote_cancellation(ctx.userdata)

        return await self._run_tool(ctx, reservation_changes.QUOTE_TOOL, {}, quote)

    @function_tool
    async def cancel_reservation(self, ctx: RunContext[CallState]) -> str:
        """Cancel the reservation verified in this call (find_reservation first).

        The first call cancels nothing: it returns the fee or the free-cancellation
        deadline. Tell the caller and ask whether to cancel; only after their explicit yes
        call this again. A booking that cannot be cancelled comes back with its reason.
        """

        async def cancel() -> str:
            return await reservation_changes.cancel_reservation(ctx.userdata)

        return await self._run_tool(ctx, reservation_changes.CANCEL_TOOL, {}, cancel)

    @function_tool
    async def change_reservation(
        self,
        ctx: RunContext[CallState],
        arrival: str = "",
        departure: str = "",
        adults: int = 0,
        children: int = reservation_changes.KEEP,
    ) -> str:
        """Move the reservation verified in this call to new dates or a new number of guests.

        Give only what changes; the rest stays as booked (a new arrival alone keeps the
        number of nights). The first call changes nothing: it re-quotes the stay in the
        same room and returns the new total, or that the room is not free for it. Read it
        back and ask; only after the caller's explicit yes call this again with the same
        arguments.

        Args:
            arrival: New arrival date as YYYY-MM-DD, or empty to keep it.
            departure: New departure date as YYYY-MM-DD, or empty.
            adults: New number of adults, or 0 to keep it.
            children: New number of children, or -1 to keep it.
        """
        arguments = {
            "arrival": arrival,
            "departure": departure,
            "adults": adults,
            "children": children,
        }

        async def change() -> str:
            return await reservation_changes.change_reservation(
                ctx.userdata, arrival, departure, adults, children
            )

        return await self._run_tool(ctx, reservation_changes.CHANGE_TOOL, arguments, change)

    @function_tool
    async def get_hotel_info(
        self,
        ctx: RunContext[CallState],
        question: str | None = None,
        topic: InfoTopic | None = None,
    ) -> str:
        """Answer a question about the hotel from what the hotel wrote.

        Directions from the airport or station, restaurant, spa and gym hours, late
        check-out, luggage, accessibility, transfers, sights, check-in and check-out times,
        breakfast, parking, pets, Wi-Fi, cancellation, address, phone.
        The answer is in the caller's language when the hotel has written it, else English.
        A question nothing answers comes back as ``known: false``: say you do not know.

        Args:
            question: The caller's question, in their words and language.
            topic: Instead of a question, one of the fixed topics.
        """
        arguments = {"question": question} if question else {"topic": topic}

        async def lookup() -> str:
            # The hotel as read from the PMS when the call was answered.
            return answer_hotel_question(
                ctx.userdata.hotel, ctx.userdata.language, question=question, topic=topic
            )

        return await self._run_tool(ctx, "get_hotel_info", arguments, lookup)

    async def _run_tool(
        self,
        ctx: RunContext[CallState],
        name: str,
        arguments: dict[str, Any],
        body: Callable[[], Awaitable[str]],
    ) -> str:
        return await run_tool(ctx, self.holding_line, name, arguments, body)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidRequest(f"{value!r} is not a date as YYYY-MM-DD") from exc
