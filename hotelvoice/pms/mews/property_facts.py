"""What rarely changes about a Mews hotel: enterprise, stay service, room types, age categories.

Four reads (``configuration/get``, ``services/getAll``, ``resourceCategories/getAll``,
``ageCategories/getAll``) made together and kept for :data:`FACTS_TTL_S` per hotel, so a
caller's question costs one or two live requests, well inside Mews' 200 per 30 s.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.errors import Unavailable
from hotelvoice.pms.credentials import TtlCache
from hotelvoice.pms.mews.api import MewsApi
from hotelvoice.pms.mews.hotel_time import clock_text, hotel_zone, parse_duration
from hotelvoice.pms.mews.models import (
    MewsAgeCategory,
    MewsConfiguration,
    MewsEnterprise,
    MewsResourceCategory,
    MewsService,
)

FACTS_TTL_S = 600.0
STAY_TYPES = frozenset(
    {"Room", "Bed", "Dorm", "Apartment", "Suite", "Villa", "Site", "Tent", "CaravanOrRV",
     "UnequippedCampsite"}
)  # fmt: skip
"""Resource category types a caller can stay in (not parking spots, cots or meeting rooms)."""

_cache: TtlCache[PropertyFacts] = TtlCache(FACTS_TTL_S)


@dataclass(frozen=True)
class PropertyFacts:
    """One hotel's static Mews data, ready for pricing, booking and describing stays."""

    enterprise: MewsEnterprise
    service_id: str
    zone: ZoneInfo
    currency: str
    start_offset: timedelta
    """Check-in after the arrival's local midnight (service ``StartOffset``)."""
    end_offset: timedelta
    """Check-out after the departure's local midnight (service ``EndOffset``)."""
    categories: dict[str, MewsResourceCategory]
    """Room types of the stay service, in the hotel's order."""
    adult_category: str
    child_category: str | None
    age_classes: dict[str, str] = field(default_factory=dict)
    """Age category id → ``Adult``/``Child``."""

    def text(self, translations: dict[str, str], fallback: str = "") -> str:
        """The hotel's default language's text, else the same language, English, any."""
        language = self.enterprise.default_language_code
        base = language.split("-")[0]
        for wanted in (language, base, "en"):
            for code, text in translations.items():
                if code == wanted or code.split("-")[0] == wanted:
                    return text
        return next(iter(translations.values()), fallback)

    def hotel_info(self, hotel_id: str) -> HotelInfo:
        """Our facts from Mews' (what Mews does not keep is referred to the front desk)."""
        address = self.enterprise.address
        lines = [address.line1, address.line2] if address else []
        city = " ".join(filter(None, [address.postal_code, address.city])) if address else ""
        return HotelInfo(
            hotel_id=hotel_id,
            name=self.enterprise.name,
            address=", ".join(filter(None, [*lines, city, address and address.country_code])),
            front_desk_phone=self.enterprise.phone or "",
            timezone=self.enterprise.time_zone_identifier,
            currency=self.currency,
            check_in_from=clock_text(self.start_offset),
            check_out_until=clock_text(self.end_offset),
            breakfast="",
            parking="",
            pets="",
            wifi="",
            cancellation_policy="",
            languages=[self.enterprise.default_language_code.split("-")[0].lower()],
        )


async def property_facts(api: MewsApi, cache_key: object, service_id: str) -> PropertyFacts:
    """The hotel's facts, from the cache or from four reads made at once."""
    return await _cache.get(cache_key, lambda: _load(api, service_id))


async def _load(api: MewsApi, service_id: str) -> PropertyFacts:
    services = {"ServiceIds": [service_id]}
    active = {**services, "ActivityStates": ["Active"]}
    config, service_items, category_items, age_items = await asyncio.gather(
        api.call("configuration/get", {}, idempotent=True),
        api.get_all("services/getAll", services, "Services"),
        api.get_all("resourceCategories/getAll", active, "ResourceCategories"),
        api.get_all("ageCategories/getAll", active, "AgeCategories"),
    )
    try:
        enterprise = MewsConfiguration.model_validate(config).enterprise
        service = next(
            (s for s in map(MewsService.model_validate, service_items) if s.id == service_id),
            None,
        )
        categories = [MewsResourceCategory.model_validate(c) for c in category_items]
        ages = [MewsAgeCategory.model_validate(a) for a in age_items]
    except ValidationError as exc:
        raise Unavailable("the hotel's system answered in an unexpected shape") from exc
    if service is None or not service.is_active or service.data is None:
        raise Unavailable(f"Mews service {service_id} is not an active service of this hotel")
    if service.data.discriminator != "Bookable":
        raise Unavailable(f"Mews service {service_id} is not a bookable (stay) service")
    timing = service.data.value or {}
    if timing.get("TimeUnitPeriod", "Day") != "Day":
        raise Unavailable("only nightly Mews services can be sold by phone")
    ages = [a for a in ages if a.service_id == service_id and a.is_active]
    adult = next((a.id for a in ages if a.classification == "Adult"), None)
    if adult is None:
        raise Unavailable("the hotel's Mews service has no adult age category")
    stays = [
        c for c in categories if c.service_id == service_id and c.is_active and c.type in STAY_TYPES
    ]
    currency = enterprise.default_currency
    if currency is None:
        raise Unavailable("the hotel's Mews enterprise accepts no currency")
    try:
        start = parse_duration(str(timing.get("StartOffset", "PT0S")))
        end = parse_duration(str(timing.get("EndOffset", "PT0S")))
    except ValueError as exc:
        raise Unavailable("the hotel's Mews service has unreadable check-in times") from exc
    return PropertyFacts(
        enterprise=enterprise,
        service_id=service_id,
        zone=hotel_zone(enterprise.time_zone_identifier),
        currency=currency,
        start_offset=start,
        end_offset=end,
        categories={c.id: c for c in sorted(stays, key=lambda c: c.ordering)},
        adult_category=adult,
        child_category=next((a.id for a in ages if a.classification == "Child"), None),
        age_classes={a.id: a.classification for a in ages},
    )
