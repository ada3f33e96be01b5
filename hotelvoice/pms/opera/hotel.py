"""The hotel's facts from OPERA's ``getHotel`` (``GET /ent/config/v1/hotels/{hotelId}``).

OPERA holds the name, address, phone, check-in/out hours, base language, currency and time
zone. It holds nothing about breakfast, parking, pets, Wi-Fi or the house cancellation
policy: those stay empty, and the receptionist answers them from the hotel's configuration
(``facts``) or refers the caller to the front desk (``docs/pms.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.pms.opera.dates import wall_clock
from hotelvoice.pms.opera.wire import dig, objects, text
from hotelvoice.time_zones import zone_named

DEFAULT_CURRENCY = "EUR"
COUNTRY_ZONES: dict[str, str] = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GR": "Europe/Athens",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
    "IT": "Europe/Rome", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga", "MT": "Europe/Malta", "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
}  # fmt: skip
"""The zone of an EU country's mainland, for a hotel whose OPERA set-up names no
``timeZoneRegion`` (Spain's and Portugal's islands do name theirs)."""
OPERA_LANGUAGES = {"E": "en", "EN": "en", "D": "de", "G": "de", "GE": "de", "DE": "de",
                   "F": "fr", "FR": "fr", "S": "es", "SP": "es", "ES": "es", "I": "it",
                   "IT": "it"}  # fmt: skip


@dataclass(frozen=True)
class HotelFacts:
    """What OPERA says about the hotel, and its time zone for reading dates."""

    info: HotelInfo
    tz: ZoneInfo


def hotel_facts(payload: dict[str, Any], hotel_id: str) -> HotelFacts:
    """Map ``hotelConfigInfo`` onto :class:`HotelInfo` (empty fields stay honest, not invented)."""
    config = dig(payload, "hotelConfigInfo") or {}
    general = dig(config, "generalInformation") or {}
    controls = dig(config, "propertyControls") or {}
    zone = _zone(text(dig(controls, "dateTimeFormatting", "timeZoneRegion")), config)
    currency = (
        text(dig(controls, "currencyFormatting", "currencyCode"))
        or next(
            (text(r.get("currencyCode")) for r in objects(config.get("hotelRateRanges"))),
            None,
        )
        or DEFAULT_CURRENCY
    ).upper()
    language = OPERA_LANGUAGES.get((text(general.get("baseLanguage")) or "E").upper(), "en")
    info = HotelInfo(
        hotel_id=hotel_id,
        name=text(config.get("hotelName")) or text(config.get("hotelId")) or hotel_id,
        address=_address(dig(config, "address") or {}),
        front_desk_phone=text(dig(config, "communication", "phoneNumber", "phoneNumber")) or "",
        timezone=zone.key,
        currency=currency,
        check_in_from=wall_clock(general.get("checkInTime")) or "",
        check_out_until=wall_clock(general.get("checkOutTime")) or "",
        breakfast="",
        parking="",
        pets="",
        wifi="",
        cancellation_policy="Cancellation terms depend on the rate; I can quote them for "
        "your reservation.",
        languages=[language] if language == "en" else [language, "en"],
    )
    return HotelFacts(info=info, tz=zone)


def _zone(region: str | None, config: dict[str, Any]) -> ZoneInfo:
    country = (text(dig(config, "address", "country", "code")) or "").upper()
    for name in (region, COUNTRY_ZONES.get(country)):
        if name and (zone := zone_named(name)) is not None:
            return zone
    return ZoneInfo("UTC")


def _address(address: dict[str, Any]) -> str:
    lines = [line for line in (text(v) for v in address.get("addressLine") or []) if line]
    place = (text(address.get("postalCode")), text(address.get("cityName")))
    city = " ".join(p for p in place if p)
    country = text(dig(address, "country", "code"))
    return ", ".join(p for p in (*lines, city, country) if p)
