"""A hotel's receptionist configuration: which numbers reach it and how its calls are run.

This is hotelvoice's own configuration, not PMS data: the PMS knows rooms and guests, while
this says which dialled numbers belong to the hotel, where a caller is transferred, which
languages are offered and how patient the agent is. Admins change it through the API; the
agent reads it when a call arrives, so nothing about a hotel is a constant in code.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from hotelvoice.contracts.knowledge import (  # languages and topics: re-exported here too
    SUPPORTED_LANGUAGES,  # noqa: F401
    HotelTopic,  # noqa: F401
    KnowledgeEntry,
    Language,
    check_knowledge,
    entries_from_facts,
)
from hotelvoice.contracts.wire_types import JsonBool, JsonInt, JsonNumber

HOTEL_ID_PATTERN = r"^[a-z0-9-]{1,64}$"
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"
"""A language (``de``) or a locale (``de-DE``)."""
TtsEngineName = Literal["elevenlabs", "azure", "espeak"]
VoiceId = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.+-]+$")
]
"""An engine's voice: an ElevenLabs voice id, an Azure name (``de-DE-KatjaNeural``), an
espeak-ng voice (``de``)."""
_TRANSFER_TARGET = re.compile(r"^(tel:\+[1-9][0-9]{6,14}|sips?:[^\s@]+@[^\s]+)$")


def normalise_number(number: str) -> str:
    """``+49 (30) 5550-1000`` → ``+493055501000``: how trunks report a dialled number."""
    return re.sub(r"[\s().-]", "", number)


PMS_SECRET_PREFIX = "hotelvoice/pms/"  # noqa: S105 - a name prefix, not a secret


class PmsBinding(BaseModel):
    """Which connector serves the hotel, the hotel's id inside that PMS, its credentials.

    The credentials live in Secrets Manager, one secret per hotel under
    ``hotelvoice/pms/`` (only that prefix is readable by the PMS function); the config
    names the secret, never holds it. ``PUT /config`` refuses a connector that is not built
    and a secret that does not exist (``docs/pms.md``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    connector: Literal["demo", "apaleo", "mews", "opera"] = "demo"
    property_id: str | None = Field(default=None, max_length=128)
    """The hotel's id in the PMS: Apaleo property id, Mews service id, OPERA hotel code."""
    secret_name: str | None = Field(
        default=None, pattern=rf"^{PMS_SECRET_PREFIX}[A-Za-z0-9/_+=.@-]{{1,200}}$"
    )
    """Secrets Manager name of the hotel's PMS credentials (not needed by the demo PMS)."""


class RetentionSettings(BaseModel):
    """How long the hotel keeps what its calls leave behind (GDPR storage limitation).

    Every call-record item carries a TTL inside ``transcripts_days``; recordings are deleted
    after ``recordings_days``; audit entries about the hotel after ``audit_days``. The bounds
    keep a typo from keeping data for decades or losing the audit trail in a day: the call
    events queue and its dead-letter queue hold events for less than the shortest transcript
    retention (``docs/privacy.md``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    transcripts_days: JsonInt = Field(default=90, ge=7, le=730)
    """Call records: turns, tool calls, messages, transfers, the caller's encrypted number."""
    recordings_days: JsonInt = Field(default=30, ge=1, le=365)
    """Recordings of calls (LiveKit egress files in the recordings bucket)."""
    audit_days: JsonInt = Field(default=365, ge=90, le=2555)
    """Audit entries: who read which guest's data, admin actions, exports and erasures."""


class RecordingSettings(BaseModel):
    """Whether calls are recorded, and what happens when a caller declines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record_calls: JsonBool = False
    """Record calls by default (the greeting then discloses it and offers to decline)."""
    decline_key: str = Field(default="9", pattern=r"^[3-9*#]$")
    """The key a caller presses to decline recording (0, 1 and 2 belong to the menu)."""
    keep_transcript_when_declined: JsonBool = True
    """A caller who declines recording: keep the redacted transcript (``True``) or keep no
    turns at all, only the call's metadata (``False``)."""


BookingGuarantee = Literal["none", "payment_link", "front_desk"]
"""How a booking taken on the phone is guaranteed (the agent never takes card numbers)."""


class BookingSettings(BaseModel):
    """How the agent books a room on the phone (``docs/pms.md``, "Bookings on the phone").

    ``guarantee``: ``none``: the booking stands as made, under the rate's cancellation
    terms; ``payment_link``: the confirmation e-mail carries ``payment_link_url`` where the
    guest guarantees it (card details never pass through a call); ``front_desk``: the agent
    books, gives the code and transfers the caller to the front desk to guarantee it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    guarantee: BookingGuarantee = "none"
    confirmation_email: JsonBool = True
    """E-mail a confirmation (booked, changed, cancelled) where the caller gave an address."""
    group_threshold_rooms: JsonInt = Field(default=3, ge=2, le=50)
    """A party needing this many rooms or more is a group: the agent takes a group enquiry
    for the front desk instead of booking."""
    payment_link_url: str | None = Field(default=None, max_length=1000)
    """The hotel's payment page (``https://`` only), required for ``payment_link``; a
    ``{confirmation_code}`` in it is replaced by the booking's code."""

    @field_validator("payment_link_url")
    @classmethod
    def _https(cls, url: str | None) -> str | None:
        if url is None:
            return None
        url = url.strip()
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s<>\"]*)?", url):
            raise ValueError("payment_link_url must be an https:// URL")
        leftover = url.replace("{confirmation_code}", "")
        if "{" in leftover or "}" in leftover:
            raise ValueError("payment_link_url may only contain {confirmation_code}")
        return url

    @model_validator(mode="after")
    def _link_for_payment_link(self) -> Self:
        if self.guarantee == "payment_link" and not self.payment_link_url:
            raise ValueError("guarantee payment_link needs a payment_link_url")
        return self

    def payment_link(self, confirmation_code: str) -> str | None:
        """The link for one booking, or None where the hotel does not guarantee by link."""
        if self.guarantee != "payment_link" or not self.payment_link_url:
            return None
        return self.payment_link_url.replace("{confirmation_code}", confirmation_code)


class HotelSettings(BaseModel):
    """What an admin sets (``PUT``): everything but the bookkeeping fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dialled_numbers: list[str] = Field(min_length=1, max_length=20)
    """E.164 numbers whose calls this hotel answers; each belongs to one hotel only."""
    front_desk: str = Field(max_length=256)
    """Where callers are transferred: ``tel:+E164`` or a ``sip:`` URI."""
    languages: list[Language] = Field(default=["en"], min_length=1, max_length=5)
    """Offered languages; the first greets a caller before their language is known."""
    pms: PmsBinding = Field(default_factory=PmsBinding)
    instructions: str = Field(default="", max_length=4000)
    """Added to the LLM's system prompt for this hotel (tone, local tips); never facts."""
    silence_reprompt_s: JsonNumber = Field(default=8.0, ge=3, le=30)
    max_silence_reprompts: JsonInt = Field(default=2, ge=0, le=5)
    max_call_s: JsonInt = Field(default=900, ge=60, le=3600)
    """Calls are closed politely at this length (a stuck line costs the hotel)."""
    voices: dict[
        Annotated[str, StringConstraints(pattern=LOCALE_PATTERN)], dict[TtsEngineName, VoiceId]
    ] = Field(default_factory=dict, max_length=20)
    """The hotel's own voices by locale (``de-DE``) or language (``de``), then engine:
    ``{"de-DE": {"azure": "de-DE-ConradNeural"}}``; what is left out keeps the default."""
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    recording: RecordingSettings = Field(default_factory=RecordingSettings)
    knowledge: list[KnowledgeEntry] = Field(default_factory=list)
    """What the receptionist answers about the hotel, in the hotel's words: question
    variants and answers per language (``hotelvoice/contracts/knowledge.py``; edited one
    entry at a time through ``/v1/hotels/{id}/knowledge``). Real PMSes keep no breakfast,
    parking or directions texts, so these come from here; an entry with a ``topic`` wins
    over the PMS's text for it. A question answered nowhere is referred to the front desk.
    The former ``facts`` (language -> topic -> text) are still accepted and become entries."""
    booking: BookingSettings = Field(default_factory=BookingSettings)
    """How bookings on the phone are guaranteed and confirmed."""

    _facts_become_knowledge = model_validator(mode="before")(entries_from_facts)

    @field_validator("knowledge")
    @classmethod
    def _knowledge(cls, entries: list[KnowledgeEntry]) -> list[KnowledgeEntry]:
        return check_knowledge(entries)

    @field_validator("dialled_numbers")
    @classmethod
    def _e164(cls, numbers: list[str]) -> list[str]:
        normalised = [normalise_number(n) for n in numbers]
        bad = [n for n in normalised if not re.fullmatch(E164_PATTERN, n)]
        if bad:
            raise ValueError(f"not E.164 numbers: {', '.join(bad)}")
        if len(set(normalised)) != len(normalised):
            raise ValueError("a number is listed twice")
        return normalised

    @field_validator("front_desk")
    @classmethod
    def _transfer_target(cls, target: str) -> str:
        target = target.strip()
        if target.startswith("+"):
            target = f"tel:{normalise_number(target)}"
        if not _TRANSFER_TARGET.fullmatch(target):
            raise ValueError("front_desk must be tel:+E164 or a sip: URI")
        return target

    @model_validator(mode="after")
    def _distinct_languages(self) -> Self:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("a language is listed twice")
        return self

    @property
    def default_language(self) -> str:
        """The greeting's language."""
        return self.languages[0]


class HotelConfigUpdate(HotelSettings):
    """A ``PUT``: the settings plus the version they were based on (0 to create)."""

    version: JsonInt = Field(ge=0)
    """Optimistic concurrency: two admins editing at once cannot silently overwrite."""


class HotelConfig(HotelSettings):
    """The stored configuration."""

    hotel_id: str = Field(pattern=HOTEL_ID_PATTERN)
    version: int = Field(ge=1)
    updated_at: datetime
    updated_by: str
