"""What the PMS API and every PMS connector speak: queries, offers, reservations, hotel info.

Money is integer minor units plus an ISO currency, computed by the PMS; the dialogue (LLM
or fallback policy) only relays totals it received here, never computes them.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hotelvoice.contracts.knowledge import KnowledgeEntry
from hotelvoice.contracts.wire_types import IsoDate

MAX_NIGHTS = 30
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CONFIRMATION_CODE = re.compile(r"^[A-Z0-9]{2,24}(-[0-9]{1,3})?$")
"""Every vendor's shape: digits (Mews ``52``, OPERA ``813595``), letters and digits (the demo
PMS ``HV4026``), or a booking id with a reservation suffix (Apaleo ``XPGMSXGF-1``)."""


def normalise_confirmation_code(code: str) -> str:
    """How a guest reads a code aloud → how the PMS wrote it.

    Spaces, dots and hyphens between characters go (``h v 40-26`` → ``HV4026``), except a
    hyphen before a short numeric suffix, which is part of an Apaleo reservation id
    (``xpgmsxgf-1`` → ``XPGMSXGF-1``). A connector may restore its own shape further.
    """
    text = re.sub(r"[\s./]", "", code).upper()
    suffix = re.fullmatch(r"(.+?)-([0-9]{1,3})", text)
    if suffix and not suffix.group(1)[-1:].isdigit():
        return f"{suffix.group(1).replace('-', '')}-{suffix.group(2)}"
    return text.replace("-", "")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Money(_Model):
    """An amount in minor units (cents) of ``currency``."""

    amount_minor: int = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def spoken(self) -> str:
        """How the agent says it in English, e.g. ``"EUR 389.00"``."""
        return f"{self.amount_minor / 100:.2f} {self.currency}"


class AvailabilityQuery(_Model):
    """A stay to price: the PMS answers with offers per room type."""

    arrival: IsoDate
    departure: IsoDate
    adults: int = Field(ge=1, le=8)
    children: int = Field(default=0, ge=0, le=6)
    children_ages: list[Annotated[int, Field(ge=0, le=17)]] = Field(
        default_factory=list, max_length=6
    )
    """The children's ages where the caller gave them: PMSes that price by age (Apaleo)
    use them; a child without one is priced at the connector's assumed age."""

    @model_validator(mode="after")
    def _stay_is_sane(self) -> Self:
        nights = (self.departure - self.arrival).days
        if nights < 1:
            raise ValueError("departure must be after arrival")
        if nights > MAX_NIGHTS:
            raise ValueError(f"stays longer than {MAX_NIGHTS} nights need the front desk")
        if len(self.children_ages) > self.children:
            raise ValueError("more children's ages than children")
        return self

    @property
    def nights(self) -> int:
        """Number of nights of the stay."""
        return (self.departure - self.arrival).days


class Offer(_Model):
    """One bookable room type and rate for the whole stay, priced by the PMS.

    ``offer_id`` is the connector's own handle for booking exactly this offer (Apaleo's
    rate plan id, Mews' category and rate, OPERA's room type and rate code); callers pass
    it back unchanged in a :class:`BookingRequest`.
    """

    room_type_code: str
    room_type_name: str
    description: str
    max_occupancy: int
    rate_plan: str
    available_units: int
    total: Money
    """Gross, for the whole stay, as the PMS computed it."""
    breakfast_included: bool
    offer_id: str | None = None
    cancellation_terms: str | None = None
    """The rate's cancellation policy in the PMS's words (e.g. "free until 24 h before")."""
    cancellation_fee: Money | None = None
    """What cancelling would cost if booked now, where the PMS says so."""
    included: list[str] = Field(default_factory=list)
    """Services the rate includes (breakfast, parking …), named by the PMS."""


class Availability(_Model):
    """The PMS's answer to an :class:`AvailabilityQuery`; empty ``offers`` means sold out."""

    hotel_id: str
    query: AvailabilityQuery
    nights: int
    offers: list[Offer]


class ReservationStatus(StrEnum):
    """Lifecycle of a reservation as the PMS reports it, across vendors.

    ``optional``: held but not confirmed (Mews Optional/Inquired/Requested, tentative);
    ``waitlisted``: OPERA's waitlist; ``no_show``: the guest never came.
    """

    CONFIRMED = "confirmed"
    OPTIONAL = "optional"
    WAITLISTED = "waitlisted"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class ReservationLookup(_Model):
    """A confirmation code plus a second factor; nothing is disclosed without both."""

    confirmation_code: str
    last_name: str | None = Field(default=None, min_length=1, max_length=80)
    caller_phone: str | None = Field(default=None, min_length=5, max_length=32)

    @field_validator("confirmation_code")
    @classmethod
    def _normalise_code(cls, code: str) -> str:
        code = normalise_confirmation_code(code)
        if not CONFIRMATION_CODE.match(code):
            raise ValueError("confirmation code must be 2-24 letters or digits")
        return code

    @model_validator(mode="after")
    def _needs_second_factor(self) -> Self:
        if not (self.last_name or self.caller_phone):
            raise ValueError("a last name or the caller's phone number is required")
        return self


class Reservation(_Model):
    """What may be told to a verified guest about their booking."""

    confirmation_code: str
    guest_first_name: str
    guest_last_name: str
    arrival: date
    departure: date
    room_type_name: str
    adults: int
    children: int
    status: ReservationStatus
    total: Money


class HotelInfo(_Model):
    """Facts the receptionist may answer without a lookup per guest.

    ``policy_texts`` holds the answers to hotel questions in each language the hotel
    speaks: language (ISO 639-1, "de") -> topic ("parking", "pets", "check_in" …) -> one or
    two spoken sentences. Empty by default, so hotels configured before it stay valid; the
    single-language fields above remain the English fallback.
    """

    hotel_id: str
    name: str
    address: str
    front_desk_phone: str
    timezone: str
    currency: str
    check_in_from: str
    check_out_until: str
    breakfast: str
    parking: str
    pets: str
    wifi: str
    cancellation_policy: str
    languages: list[str]
    policy_texts: dict[str, dict[str, str]] = Field(default_factory=dict)
    knowledge: list[KnowledgeEntry] = Field(default_factory=list)
    """The hotel's knowledge base from its configuration (``/info`` adds it; no PMS keeps
    one): what both dialogue engines answer free questions from."""

    def policy_text(self, topic: str, language: str) -> str | None:
        """The answer about ``topic`` in ``language``, else in English, else None.

        Args:
            topic: E.g. "parking".
            language: The caller's language; a region ("de-AT") is ignored.

        Returns:
            The configured text, or None when the hotel has none for the topic.
        """
        base = language.lower().replace("_", "-").split("-", 1)[0]
        for lang in (base, "en"):
            text = self.policy_texts.get(lang, {}).get(topic)
            if text:
                return text
        return None


class GuestDetails(_Model):
    """Who a new booking is for: what every PMS needs to create a guest profile."""

    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9]{5,20}$")


class BookingRequest(_Model):
    """Book one offer of an availability answer for one guest."""

    stay: AvailabilityQuery
    offer_id: str = Field(min_length=1, max_length=200)
    guest: GuestDetails
    notes: str | None = Field(default=None, max_length=500)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    """The caller's language (``de``, ``de-AT``): the confirmation e-mail is written in it."""


class Booking(_Model):
    """The PMS's reservation for a :class:`BookingRequest`.

    ``created`` is false when the request's idempotency key had already booked it: a retry
    after a lost answer, not a second booking.
    """

    reservation: Reservation
    created: bool
    confirmation_sent: bool | None = None
    """The confirmation e-mail: sent (``true``), failed (``false``: the booking stands, the
    front desk sends it), or none due on this request (``null``: no address, the hotel's
    switch off, or a retried key whose first request handled it)."""


class CancellationQuote(_Model):
    """What cancelling the reservation now would cost, before the guest decides."""

    confirmation_code: str
    cancellable: bool
    fee: Money
    """Zero where cancelling is free."""
    terms: str | None = None
    """The PMS's words for the policy, or why it cannot be cancelled."""
    free_until: IsoDate | None = None
    """The last day cancelling is free, where the PMS says (the caller hears this date)."""


class Cancellation(_Model):
    """A cancelled reservation and the fee the PMS charged for it."""

    confirmation_code: str
    fee: Money
    status: ReservationStatus
    confirmation_sent: bool | None = None
    """The confirmation e-mail, as in :attr:`Booking.confirmation_sent`."""


class AmendedReservation(Reservation):
    """A reservation as an amendment left it, and whether its confirmation went out."""

    confirmation_sent: bool | None = None
    """The confirmation e-mail, as in :attr:`Booking.confirmation_sent`."""


class ConfirmationRecipient(_Model):
    """Where a cancellation's or an amendment's confirmation is e-mailed, in which language.

    The PMS's own address for the guest is never disclosed to the agent: the caller gives one.
    """

    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class StayChange(_Model):
    """New dates or party for a reservation, after the guest heard the new price."""

    stay: AvailabilityQuery
    offer_id: str | None = Field(default=None, min_length=1, max_length=200)
    """The re-quoted offer to move to; ``None`` keeps the room type and rate."""
