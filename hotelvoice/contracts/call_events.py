"""Call events: the one message shape on the call-events queue, and the call record.

Agent events (turns, tool calls, outcome) and LiveKit webhooks (room, participant, egress)
are normalised into :data:`CallEvent` before they are queued. Every event carries an
``event_id`` that is stable across redelivery, and turns/tool calls carry their index in the
call, so the consumer's writes converge however often and in whatever order they arrive.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, TypeAdapter

from hotelvoice.contracts.wire_types import EventTime, IsoDate, JsonBool, JsonInt, JsonNumber

ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"


class Outcome(StrEnum):
    """How a call ended, from the hotel's point of view."""

    COMPLETED = "completed"
    TRANSFERRED = "transferred"
    ABANDONED = "abandoned"
    FAILED = "failed"
    UNANSWERED = "unanswered"
    """LiveKit says the caller was there, but no agent ever joined the call."""
    AGENT_FAILED = "agent_failed"
    """An agent joined, but the room closed without its word on how the call ended."""


ArgumentScalar = (
    Annotated[str, StringConstraints(max_length=1000)]
    | JsonBool
    | Annotated[int, Strict(), Field(ge=-(10**15), le=10**15)]
    | Annotated[float, Strict(), Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
    | None
)
"""What a tool argument may be: text, a flag, a number DynamoDB can store exactly, nothing."""
ToolArguments = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")],
        ArgumentScalar | Annotated[list[ArgumentScalar], Field(max_length=20)],
    ],
    Field(max_length=32),
]
"""A tool call's arguments as the record can keep them: named, flat, bounded. Anything else
is refused at the door, not dead-lettered by the consumer."""


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    event_id: str = Field(pattern=ID_PATTERN)
    call_id: str = Field(pattern=ID_PATTERN)
    occurred_at: EventTime


class CallStarted(_Event):
    """The agent answered: which hotel, which language, who called."""

    type: Literal["call.started"] = "call.started"
    hotel_id: str = Field(pattern=ID_PATTERN)
    language: str = Field(min_length=2, max_length=8)
    caller_number: str | None = Field(default=None, max_length=32)


class TurnRecorded(_Event):
    """One utterance of the caller or the agent (redacted before it is stored)."""

    type: Literal["call.turn"] = "call.turn"
    index: JsonInt = Field(ge=0, le=10_000)
    role: Literal["caller", "agent"]
    text: str = Field(max_length=4000)


class ToolCalled(_Event):
    """One tool call of the dialogue, with its arguments and result."""

    type: Literal["call.tool"] = "call.tool"
    index: JsonInt = Field(ge=0, le=10_000)
    name: str = Field(pattern=r"^[a-z_]{1,64}$")
    arguments: ToolArguments
    result: str = Field(max_length=8000)
    ok: JsonBool = True
    duration_ms: JsonNumber = Field(ge=0, le=86_400_000)


class CallEnded(_Event):
    """The agent's word on how the call ended."""

    type: Literal["call.ended"] = "call.ended"
    outcome: Outcome


TransferReason = Literal[
    "caller_request",
    "menu",
    "not_verified",
    "not_understood",
    "booking_guarantee",
    "pms_unavailable",
]
"""Why the agent transferred: ``booking_guarantee``: the hotel guarantees phone bookings at
the front desk (``booking.guarantee: front_desk``); ``pms_unavailable``: the hotel system
was down, too slow or refused, and the caller chose the front desk."""


class CallTransferred(_Event):
    """The agent tried a cold transfer to the hotel's front desk (one event per attempt)."""

    type: Literal["call.transferred"] = "call.transferred"
    target: str = Field(max_length=256)
    reason: TransferReason
    succeeded: JsonBool
    detail: str | None = Field(default=None, max_length=256)
    """Why it failed, e.g. ``SIP 486 Busy Here``."""


class MessageTaken(_Event):
    """The caller left a message or asked for a callback; the front desk acts on it."""

    type: Literal["call.message"] = "call.message"
    message: str = Field(min_length=1, max_length=2000)
    callback_number: str | None = Field(default=None, pattern=r"^\+?[0-9]{3,20}$")
    language: str = Field(min_length=2, max_length=8)


BookingAction = Literal["created", "changed", "cancelled"]
FrontDeskCategory = Literal[
    "taxi",
    "wake_up",
    "complaint",
    "billing",
    "restaurant",
    "spa",
    "lost_property",
    "group_enquiry",
    "other",
]
"""What a request the agent takes for the front desk is about."""
BOOKING_CODE_PATTERN = r"^[A-Z0-9]{2,24}(-[0-9]{1,3})?$"


class BookingMade(_Event):
    """The agent booked, changed or cancelled a reservation in the PMS during the call.

    No guest name travels here: the code (indexed by keyed hash, like a lookup's) finds the
    call for an access or erasure request, the PMS has the rest.
    """

    type: Literal["call.booking"] = "call.booking"
    action: BookingAction
    confirmation_code: str = Field(pattern=BOOKING_CODE_PATTERN)
    total_minor: JsonInt | None = Field(default=None, ge=0, le=10**12)
    """The stay's total (created, changed) or the fee charged (cancelled), in minor units."""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    arrival: IsoDate | None = None
    departure: IsoDate | None = None
    room_type: str | None = Field(default=None, max_length=120)
    pms_ids: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")],
        Annotated[str, StringConstraints(min_length=1, max_length=128)],
    ] = Field(default_factory=dict, max_length=4)
    """The PMS's own ids of what was written (``{"reservation_id": "…"}``)."""
    confirmation_sent: JsonBool | None = None
    """Whether the confirmation e-mail went out (``None``: none was due)."""


class FrontDeskRequest(_Event):
    """A request the agent took for the front desk (a taxi, a wake-up call, a complaint …)."""

    type: Literal["call.request"] = "call.request"
    category: FrontDeskCategory
    details: str = Field(min_length=1, max_length=2000)
    """What the caller asked for, in their words (redacted before it is stored)."""
    reference: str = Field(pattern=r"^[A-Z0-9-]{4,32}$")
    """The number the agent gave the caller for the request."""
    callback_number: str | None = Field(default=None, pattern=r"^\+?[0-9]{3,20}$")
    confirmation_code: str | None = Field(default=None, pattern=BOOKING_CODE_PATTERN)
    """The booking the request is about, where the caller named one."""
    language: str = Field(min_length=2, max_length=8)


class LanguageChanged(_Event):
    """The caller turned out to speak another language; the latest one wins."""

    type: Literal["call.language"] = "call.language"
    language: str = Field(min_length=2, max_length=8)


RecordingState = Literal["recorded", "declined", "not_recorded"]
"""``recorded``: the hotel records and the caller did not decline; ``declined``: the caller
said no (by voice or key), so recording stopped or never started; ``not_recorded``: the
hotel does not record calls."""


class ConsentRecorded(_Event):
    """What the caller agreed to: recording, and whether the transcript is kept.

    Sent at the start of every call (the hotel's default) and again when the caller declines;
    the latest wins. With ``transcript_kept`` false the record keeps no turns from then on,
    and the turns already stored are removed.
    """

    type: Literal["call.consent"] = "call.consent"
    recording: RecordingState
    via: Literal["hotel_config", "speech", "key"]
    transcript_kept: JsonBool = True


class RoomStarted(_Event):
    """LiveKit opened the call's room: the phone rang (the room's SID is the call id)."""

    type: Literal["livekit.room_started"] = "livekit.room_started"


class CallerJoined(_Event):
    """The SIP caller is in the room, as LiveKit reports it, whether or not an agent answers.

    ``hotel_id`` is the owner of the dialled number (looked up by the webhook receiver);
    ``None`` when no hotel answers that number. The caller's number is hashed and sealed by
    the consumer, like ``call.started``'s.
    """

    type: Literal["livekit.caller_joined"] = "livekit.caller_joined"
    hotel_id: str | None = Field(default=None, pattern=ID_PATTERN)
    caller_number: str | None = Field(default=None, max_length=32)
    sip_call_id: str | None = Field(default=None, max_length=128)
    """The trunk's SIP Call-ID, for tracing a call with the carrier."""


class CallerLeft(_Event):
    """The SIP caller left the room: the call is over for them."""

    type: Literal["livekit.caller_left"] = "livekit.caller_left"


class AgentJoined(_Event):
    """An agent participant joined the room: the call was answered."""

    type: Literal["livekit.agent_joined"] = "livekit.agent_joined"


class RoomFinished(_Event):
    """LiveKit closed the call's room (a hang-up without the agent's goodbye, too)."""

    type: Literal["livekit.room_finished"] = "livekit.room_finished"


class RecordingReady(_Event):
    """LiveKit egress finished a recording of the call."""

    type: Literal["livekit.recording_ready"] = "livekit.recording_ready"
    location: str = Field(max_length=1024)
    duration_s: JsonNumber = Field(ge=0, le=86_400)


CallEvent = Annotated[
    CallStarted
    | TurnRecorded
    | ToolCalled
    | CallTransferred
    | MessageTaken
    | BookingMade
    | FrontDeskRequest
    | LanguageChanged
    | ConsentRecorded
    | CallEnded
    | RoomStarted
    | CallerJoined
    | CallerLeft
    | AgentJoined
    | RoomFinished
    | RecordingReady,
    Field(discriminator="type"),
]
CALL_EVENT = TypeAdapter(CallEvent, config=ConfigDict(defer_build=True))


def build_validators() -> None:
    """Build every event's validator and serializer now, instead of on its first use.

    They are deferred so that a Lambda that refuses a request never builds them. A process
    that forks its calls (the agent worker's forkserver, ``realtime_agent.shared_image``)
    builds them once here; otherwise every call's process built them on its first event,
    on the call's event loop, while the caller waited for the greeting.
    """
    for model in get_args(get_args(CallEvent)[0]):
        model.model_rebuild(force=True)
    CALL_EVENT.rebuild(force=True)


AgentCallEvent = Annotated[
    CallStarted
    | TurnRecorded
    | ToolCalled
    | CallTransferred
    | MessageTaken
    | BookingMade
    | FrontDeskRequest
    | LanguageChanged
    | ConsentRecorded
    | CallEnded,
    Field(discriminator="type"),
]
"""What the agent may post; LiveKit-sourced types come only through the signed webhook."""


class Turn(BaseModel):
    """A stored, redacted utterance."""

    index: int
    role: Literal["caller", "agent"]
    text: str
    at: datetime


class ToolCallRecord(BaseModel):
    """A stored tool call."""

    index: int
    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    duration_ms: float


class TransferRecord(BaseModel):
    """A stored transfer attempt."""

    at: datetime
    target: str
    reason: str
    succeeded: bool
    detail: str | None = None


class MessageRecord(BaseModel):
    """A stored message for the front desk (personal data: reading it is audited)."""

    at: datetime
    message: str
    callback_number: str | None = None
    language: str


class BookingRecord(BaseModel):
    """A stored booking, change or cancellation the agent made in the PMS."""

    at: datetime
    action: BookingAction
    confirmation_code: str
    total_minor: int | None = None
    currency: str | None = None
    arrival: date | None = None
    departure: date | None = None
    room_type: str | None = None
    pms_ids: dict[str, str] = Field(default_factory=dict)
    confirmation_sent: bool | None = None


class FrontDeskRequestRecord(BaseModel):
    """A stored request for the front desk (personal data: reading it is audited)."""

    at: datetime
    category: FrontDeskCategory
    details: str
    reference: str
    callback_number: str | None = None
    confirmation_code: str | None = None
    language: str


class ConsentRecord(BaseModel):
    """The caller's word on recording, as the record keeps it."""

    recording: RecordingState
    via: str
    transcript_kept: bool
    at: datetime


class CallRecord(BaseModel):
    """Everything the hotel keeps about one call."""

    call_id: str
    hotel_id: str | None = None
    language: str | None = None
    caller_hash: str | None = None
    sip_call_id: str | None = None
    """The carrier's SIP Call-ID (from LiveKit), to trace the call with the trunk provider."""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_s: float | None = None
    outcome: Outcome | None = None
    recording: dict[str, Any] | None = None
    consent: ConsentRecord | None = None
    erased_at: datetime | None = None
    """Set when the caller's data was erased (GDPR Art. 17): the record keeps only when the
    call happened and how it ended."""
    turns: list[Turn] = Field(default_factory=list)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    transfers: list[TransferRecord] = Field(default_factory=list)
    messages: list[MessageRecord] = Field(default_factory=list)
    bookings: list[BookingRecord] = Field(default_factory=list)
    """What the agent booked, changed or cancelled during the call."""
    requests: list[FrontDeskRequestRecord] = Field(default_factory=list)
    """Requests the agent took for the front desk."""


class CallSummary(BaseModel):
    """A call in a list: no transcript."""

    call_id: str
    hotel_id: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: Outcome | None = None
    language: str | None = None
    transferred: bool = False
    """A transfer to a person succeeded during the call."""
    has_message: bool = False
    has_request: bool = False
    has_booking: bool = False
