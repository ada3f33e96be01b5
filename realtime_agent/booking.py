"""Taking a booking on the phone: the offer chosen, the key that books it once, the code spelled.

The words (spelling alphabets, digits, the e-mail's "at" and "dot") are each language's
``dialogue.json`` catalog (``booking``); this module only arranges them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from livekit.agents import ToolError

from hotelvoice.contracts.pms import (
    EMAIL_PATTERN,
    Availability,
    BookingRequest,
    GuestDetails,
    Offer,
)
from realtime_agent.call_state import CallState
from realtime_agent.language import SUPPORTED_LANGUAGES, catalog, supported
from realtime_agent.language.speech import room_name
from realtime_agent.language.text import plain_words


def words(language: str) -> dict[str, Any]:
    """The language's ``booking`` words (``dialogue.json``)."""
    return catalog(supported(language), "dialogue")["booking"]


def offers_cheapest_first(availability: Availability) -> list[Offer]:
    """The bookable offers, cheapest first (the order the caller hears them in)."""
    return sorted(availability.offers, key=lambda o: o.total.amount_minor)


def choose_offer(availability: Availability, room: str) -> Offer | None:
    """The offer the caller chose: its room type's name or code, or its number (1 = cheapest)."""
    offers = offers_cheapest_first(availability)
    wanted = " ".join(plain_words(room))
    if wanted.isdigit() and 1 <= int(wanted) <= len(offers):
        return offers[int(wanted) - 1]
    for offer in offers:
        names = (offer.room_type_name, offer.room_type_code, offer.offer_id or "")
        # The caller heard the room's name in their language (``speech.room_name``).
        names += tuple(room_name(offer.room_type_name, lang) for lang in SUPPORTED_LANGUAGES)
        if wanted and any(wanted == " ".join(plain_words(n)) for n in names):
            return offer
    matches = [o for o in offers if wanted and wanted in " ".join(plain_words(o.room_type_name))]
    return matches[0] if len(matches) == 1 else None


def idempotency_key(call_id: str, availability: Availability, offer: Offer) -> str:
    """One key per call and offer (the stay is part of the offer).

    So a second call of the tool, a repeated yes or a reconnect with the same call id
    books once.
    """
    query = availability.query
    material = json.dumps(
        [call_id, offer.offer_id or offer.room_type_code, query.model_dump(mode="json")],
        sort_keys=True,
    )
    return "hv-booking-" + hashlib.sha256(material.encode()).hexdigest()[:40]


def fingerprint(arguments: dict[str, Any]) -> str:
    """What the caller confirmed: the booking as read back (any change needs a new yes)."""
    return hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:16]


def spell_code(code: str, language: str, spell_letter: Callable[[str, str], str]) -> str:
    """A confirmation code as the caller's language spells it on the phone.

    Letters with the language's spelling word (``spell_letter``: "H as in Hotel",
    "H wie Heinrich"), digits as words, a dash as the language says it:
    ``HV4026`` → "H as in Hotel, V as in Victor, four, zero, two, six".
    """
    table = words(language)
    parts = []
    for char in code.upper():
        if char.isdigit():
            parts.append(table["digits"][int(char)])
        elif char.isalpha() and char.lower() in table["spelling"]:
            parts.append(spell_letter(char, table["spelling"][char.lower()]))
        elif char == "-":
            parts.append(table["dash"])
        elif char.strip():
            parts.append(char)
    return ", ".join(parts)


def spoken_email(email: str, language: str) -> str:
    """An address as it is read back: "anna dot smith at example dot com"."""
    table = words(language)
    symbols = {"@": table["at"][0], ".": table["dot"][0], "-": table["hyphen"][0]}
    symbols["_"] = table["underscore"][0]
    return re.sub(r"[@._-]", lambda m: f" {symbols[m.group(0)]} ", email).replace("  ", " ")


def spoken_phone(phone: str, language: str) -> str:
    """A phone number digit by digit in the caller's language ("plus" stays a sign)."""
    digits = words(language)["digits"]
    spoken = " ".join(digits[int(c)] for c in phone if c.isdigit())
    return f"+ {spoken}" if phone.startswith("+") else spoken


def booking_request(
    state: CallState, availability: Availability, offer: Offer, arguments: dict[str, str]
) -> BookingRequest:
    """The PMS API's request; the caller's number stands in for a phone not given."""
    phone = re.sub(r"[^0-9+]", "", arguments["phone"]) or re.sub(
        r"[^0-9+]", "", state.caller_number or ""
    )
    email = arguments["email"].strip().lower() or None
    if email is not None and not re.match(EMAIL_PATTERN, email):
        raise ToolError("That is not an e-mail address: ask the caller to spell it again.")
    if not arguments["first_name"].strip() or not arguments["last_name"].strip():
        raise ToolError("Ask for the guest's first and last name.")
    if offer.offer_id is None:
        raise ToolError("This offer cannot be booked by phone: offer the front desk.")
    return BookingRequest(
        stay=availability.query,
        offer_id=offer.offer_id,
        guest=GuestDetails(
            first_name=arguments["first_name"].strip(),
            last_name=arguments["last_name"].strip(),
            email=email,
            phone=phone or None,
        ),
        notes=arguments["notes"].strip()[:500] or None,
        language=state.language if re.fullmatch(r"[a-z]{2}", state.language) else None,
    )
