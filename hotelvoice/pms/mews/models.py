"""The parts of Mews' answers the connector reads, as pydantic models (PascalCase on the wire).

Only what the receptionist needs is declared; everything else is ignored, so a field Mews
adds never breaks a call. Amounts are :class:`~decimal.Decimal` because the API client parses
JSON numbers as decimals. Two reservation shapes exist (``reservations/getAll`` ver
2023-06-06 and the 2017 shape that ``add``/``update`` answer with); :class:`MewsReservation`
reads both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_pascal


class _Mews(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_pascal, populate_by_name=True, extra="ignore", frozen=True
    )


def _texts(value: Any) -> dict[str, str]:
    """Mews' "all translations" dictionaries may be null or hold nulls."""
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if v}


class MewsAddress(_Mews):
    """An enterprise's address."""

    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = None


class MewsCurrency(_Mews):
    """A currency the enterprise accepts."""

    currency: str
    is_default: bool = False
    is_enabled: bool = True


class MewsEnterprise(_Mews):
    """The hotel as ``configuration/get`` describes it."""

    id: str
    name: str
    time_zone_identifier: str
    default_language_code: str = "en-US"
    phone: str | None = None
    email: str | None = None
    address: MewsAddress | None = None
    currencies: list[MewsCurrency] = []

    @property
    def default_currency(self) -> str | None:
        """The enterprise's default currency (the one totals are converted to)."""
        chosen = [c for c in self.currencies if c.is_default] or self.currencies[:1]
        return chosen[0].currency.upper() if chosen else None


class MewsConfiguration(_Mews):
    """``configuration/get``."""

    enterprise: MewsEnterprise


class MewsServiceData(_Mews):
    """A service's kind (``Bookable``) and its time-unit settings."""

    discriminator: str
    value: dict[str, Any] | None = None


class MewsService(_Mews):
    """A service (the hotel's stay service is the one the binding names)."""

    id: str
    is_active: bool = True
    data: MewsServiceData | None = None


class MewsResourceCategory(_Mews):
    """A room type."""

    id: str
    service_id: str
    is_active: bool = True
    type: str = "Room"
    names: dict[str, str] = {}
    short_names: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    ordering: int = 0
    capacity: int
    extra_capacity: int = 0

    @field_validator("names", "short_names", "descriptions", mode="before")
    @classmethod
    def translations_or_empty(cls, value: Any) -> dict[str, str]:
        """Mews' "all translations" dictionaries may be null or hold nulls."""
        return _texts(value)


class MewsAgeCategory(_Mews):
    """Adults or children, as the hotel's service counts people."""

    id: str
    service_id: str
    classification: str
    is_active: bool = True


class MewsCategoryAvailability(_Mews):
    """One room type's metrics per time unit (``services/getAvailability`` 2024-01-22)."""

    resource_category_id: str
    metrics: dict[str, list[int]] = {}


class MewsAvailability(_Mews):
    """``services/getAvailability`` 2024-01-22: counts per room type and night, no prices."""

    time_unit_starts_utc: list[str]
    resource_category_availabilities: list[MewsCategoryAvailability] = []


class MewsAmount(_Mews):
    """An amount with and without taxes, in major units."""

    currency: str
    gross_value: Decimal
    net_value: Decimal | None = None


class MewsReservationPrice(_Mews):
    """``reservations/price``: the total Mews would charge for one priced reservation."""

    identifier: str | None = None
    total_amount: MewsAmount | None = None


class MewsPersonCount(_Mews):
    """People of one age category."""

    age_category_id: str
    count: int


class MewsReservation(_Mews):
    """A reservation in either shape Mews answers with (2023-06-06 or 2017-04-12)."""

    id: str
    service_id: str
    number: str
    state: str
    rate_id: str
    account_id: str | None = None
    account_type: str | None = None
    owner_id: str | None = None
    customer_id: str | None = None
    requested_resource_category_id: str | None = None
    requested_category_id: str | None = None
    scheduled_start_utc: str | None = None
    scheduled_end_utc: str | None = None
    start_utc: str | None = None
    end_utc: str | None = None
    created_utc: str | None = None
    cancellation_reason: str | None = None
    channel_number: str | None = None
    person_counts: list[MewsPersonCount] | None = None

    @property
    def owner(self) -> str | None:
        """The customer who owns the reservation (the guest whose name is checked)."""
        return self.account_id or self.owner_id or self.customer_id

    @property
    def category_id(self) -> str | None:
        """The requested room type."""
        return self.requested_resource_category_id or self.requested_category_id

    @property
    def start(self) -> str | None:
        """Scheduled arrival (check-in) instant."""
        return self.scheduled_start_utc or self.start_utc

    @property
    def end(self) -> str | None:
        """Scheduled departure (check-out) instant."""
        return self.scheduled_end_utc or self.end_utc


class MewsCustomer(_Mews):
    """A guest profile."""

    id: str
    first_name: str | None = None
    last_name: str
    second_last_name: str | None = None
    email: str | None = None
    phone: str | None = None


class MewsOrderItem(_Mews):
    """A charge on a reservation (a night, a product, a fee …)."""

    id: str
    service_order_id: str
    type: str
    accounting_state: str = "Open"
    unit_count: int = 1
    unit_amount: MewsAmount | None = None
    amount: MewsAmount
    consumed_utc: str | None = None
    start_utc: str | None = None


class MewsFee(_Mews):
    """An absolute fee in a currency."""

    currency: str
    value: Decimal


class MewsCancellationPolicy(_Mews):
    """One tier of a reservation's cancellation policy (beta operation in Mews)."""

    applicability: str
    fee_extents: list[str] = []
    applicability_offset: str = "PT0S"
    fee_maximum_time_units: int | None = None
    absolute_fee: MewsFee | None = None
    relative_fee: Decimal = Decimal(0)


class MewsReservationPolicies(_Mews):
    """The cancellation policies of one reservation."""

    reservation_id: str
    policies: list[MewsCancellationPolicy] = []
