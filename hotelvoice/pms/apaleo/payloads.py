"""Apaleo's payloads as far as the receptionist reads them (Booking and Inventory API v1).

Field names are Apaleo's (``booking_OfferModel``, ``booking_ReservationModel`` …, see
``docs/pms.md``); anything else Apaleo sends is ignored, so a new field never breaks a call.
A field Apaleo marks required but we can live without is optional here: a lookup should not
fail because a report-only field is missing. Amounts are :class:`~decimal.Decimal`: bodies are
parsed with ``parse_float=Decimal`` (:func:`read_json`), never through a float.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hotelvoice.errors import Unavailable

M = TypeVar("M", bound=BaseModel)


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class MonetaryValue(_Payload):
    """``booking_MonetaryValueModel``: a decimal in major units and an ISO currency."""

    amount: Decimal
    currency: str


class EmbeddedService(_Payload):
    """A service a rate includes (breakfast, Wi-Fi …); offers often name only its id."""

    id: str
    code: str | None = None
    name: str | None = None


class IncludedService(_Payload):
    """``booking_OfferServiceModel`` / ``booking_ReservationServiceModel``."""

    service: EmbeddedService
    pricing_mode: str | None = Field(default=None, alias="pricingMode")


class OfferTimeSlice(_Payload):
    """One night of an offer (``booking_OfferTimeSliceModel``)."""

    included_services: list[IncludedService] = Field(default_factory=list, alias="includedServices")


class OfferUnitGroup(_Payload):
    """``booking_OfferUnitGroupModel``: the room type of an offer."""

    id: str
    code: str
    name: str
    description: str = ""
    max_persons: int = Field(alias="maxPersons")


class EmbeddedRatePlan(_Payload):
    """``booking_EmbeddedRatePlanModel``."""

    id: str
    code: str | None = None
    name: str | None = None
    description: str | None = None


class CancellationFee(_Payload):
    """``booking_OfferCancellationFeeModel`` / ``booking_ReservationCancellationFeeModel``.

    ``fee`` is charged when the reservation is cancelled at or after ``due``; before it,
    cancelling is free.
    """

    code: str | None = None
    name: str = ""
    description: str = ""
    due: datetime | None = Field(default=None, alias="dueDateTime")
    fee: MonetaryValue


class GrossAmount(_Payload):
    """``booking_AmountModel``, of which the guest pays the gross."""

    gross: Decimal = Field(alias="grossAmount")
    currency: str


class OfferFee(_Payload):
    """``booking_OfferFeeModel``: a fee Apaleo adds on top of the offer's gross at booking."""

    name: str = ""
    total: GrossAmount = Field(alias="totalAmount")


class StayOffer(_Payload):
    """``booking_OfferModel``: one unit group at one rate plan for the whole stay."""

    unit_group: OfferUnitGroup = Field(alias="unitGroup")
    rate_plan: EmbeddedRatePlan = Field(alias="ratePlan")
    available_units: int = Field(alias="availableUnits")
    total_gross: MonetaryValue = Field(alias="totalGrossAmount")
    cancellation_fee: CancellationFee | None = Field(default=None, alias="cancellationFee")
    time_slices: list[OfferTimeSlice] = Field(default_factory=list, alias="timeSlices")
    fees: list[OfferFee] = Field(default_factory=list)
    """"Fees that will be added on top of the TotalGrossAmount when creating the booking"
    (a city tax, a cleaning fee): the caller is quoted what the booking will cost."""


class StayOffers(_Payload):
    """``booking_StayOffersModel`` (``GET /booking/v1/offers``)."""

    offers: list[StayOffer]


class Person(_Payload):
    """``booking_GuestModel`` / ``booking_BookerModel``: only ``lastName`` is required."""

    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str = Field(alias="lastName")
    email: str | None = None
    phone: str | None = None


class EmbeddedRef(_Payload):
    """An embedded property, unit group or unit: an id, maybe a code and a name."""

    id: str
    code: str | None = None
    name: str | None = None


class ActionReason(_Payload):
    """Why an action is not allowed, in Apaleo's words."""

    code: str
    message: str


class ReservationAction(_Payload):
    """``booking_ActionModel``: may this reservation be cancelled, amended … now?"""

    action: str
    is_allowed: bool = Field(alias="isAllowed")
    reasons: list[ActionReason] = Field(default_factory=list)


class ApaleoReservation(_Payload):
    """``booking_ReservationModel`` / ``booking_ReservationItemModel``."""

    id: str
    booking_id: str | None = Field(default=None, alias="bookingId")
    status: str
    property: EmbeddedRef
    rate_plan: EmbeddedRatePlan = Field(alias="ratePlan")
    unit_group: EmbeddedRef = Field(alias="unitGroup")
    total_gross: MonetaryValue = Field(alias="totalGrossAmount")
    arrival: datetime
    departure: datetime
    adults: int
    children_ages: list[int] = Field(default_factory=list, alias="childrenAges")
    primary_guest: Person | None = Field(default=None, alias="primaryGuest")
    booker: Person | None = None
    cancellation_fee: CancellationFee | None = Field(default=None, alias="cancellationFee")
    cancellation_time: datetime | None = Field(default=None, alias="cancellationTime")
    created: datetime | None = None
    actions: list[ReservationAction] = Field(default_factory=list)

    def action(self, name: str) -> ReservationAction | None:
        """The ``actions`` entry for ``name`` (``Cancel``, ``AmendArrival`` …), if expanded."""
        return next((a for a in self.actions if a.action == name), None)


class ReservationList(_Payload):
    """``booking_ReservationListModel`` (``GET /booking/v1/reservations``)."""

    reservations: list[ApaleoReservation]


class CreatedId(_Payload):
    """``booking_ReservationCreatedModel``."""

    id: str


class BookingCreated(_Payload):
    """``booking_BookingCreatedModel`` (``POST /booking/v1/bookings``)."""

    id: str
    reservation_ids: list[CreatedId] = Field(alias="reservationIds")


Localised = str | dict[str, str]
"""Inventory texts: one string, or one per language (``{"de": …, "en": …}``)."""


class Address(_Payload):
    """``inventory_AddressModel``."""

    address_line1: str = Field(default="", alias="addressLine1")
    address_line2: str | None = Field(default=None, alias="addressLine2")
    postal_code: str = Field(default="", alias="postalCode")
    city: str = ""
    country_code: str = Field(default="", alias="countryCode")


class ApaleoProperty(_Payload):
    """``inventory_PropertyModel`` (``GET /inventory/v1/properties/{id}``)."""

    id: str
    code: str | None = None
    name: Localised
    description: Localised | None = None
    location: Address | None = None
    time_zone: str = Field(alias="timeZone")
    currency_code: str = Field(alias="currencyCode")


class UnitGroupItem(_Payload):
    """``inventory_UnitGroupItemModel``: a room type of the property."""

    id: str
    code: str
    name: Localised
    description: Localised | None = None
    max_persons: int | None = Field(default=None, alias="maxPersons")


class UnitGroupList(_Payload):
    """``inventory_UnitGroupListModel`` (``GET /inventory/v1/unit-groups``)."""

    unit_groups: list[UnitGroupItem] = Field(alias="unitGroups")


class TokenAnswer(_Payload):
    """RFC 6749 §5.1, as Apaleo's identity server answers a client-credentials grant."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the RFC 6749 token type, not a secret


class Messages(_Payload):
    """``booking_MessageItemCollection``: Apaleo's reasons for a 4xx."""

    messages: list[str] = Field(default_factory=list)


def read_json(response: httpx.Response) -> Any:
    """The body as JSON with every non-integer number as an exact :class:`Decimal`."""
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise Unavailable("the hotel's system sent an answer we cannot read") from exc


def parse(model: type[M], response: httpx.Response) -> M:
    """``response``'s body as ``model``; a body of another shape is the vendor's fault."""
    try:
        return model.model_validate(read_json(response))
    except ValidationError as exc:
        raise Unavailable("the hotel's system sent an answer we cannot read") from exc


def localised(text: Localised | None, language: str = "en") -> str:
    """One text from an inventory field: ``language``, else English, else the first."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for key in (language, "en"):
        if text.get(key):
            return text[key]
    return next(iter(text.values()), "")
