"""Request bodies for OPERA's reservation writes, built from OPERA's schema.

Oracle's own request examples do not validate against Oracle's schema (they send numbers as
strings: ``"adults": "1"``, ``"numberOfUnits": "1"``, and ``reservationGuests`` as an object
where the schema has an array). These bodies follow the schema: integers are integers,
arrays are arrays, codes stay within their ``maxLength``. Amounts are never sent: OPERA
prices the stay from the rate code, as it did for the quote, so the guest pays what OPERA
computes and not a figure we carried over.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hotelvoice.contracts.pms import AvailabilityQuery, BookingRequest, GuestDetails
from hotelvoice.errors import InvalidRequest
from hotelvoice.pms.opera.secret import OperaSecret

NAME_MAX = 40
"""OPERA's ``personName.givenName``/``surname`` hold at most 40 characters."""
REFERENCE_PREFIX = "hv-"
CANCELLATION_TEXT = "Cancelled by the guest by phone (hotelvoice receptionist)."


def external_reference(hotel_id: str, idempotency_key: str) -> str:
    """The booking's external reference id: stable per hotel and key, 35 characters.

    OPERA stores at most 50 characters for a reservation's external reference id; a digest
    keeps any key within that and keeps the key itself out of the hotel's system.
    """
    digest = hashlib.sha256(f"{hotel_id}\x00{idempotency_key}".encode()).hexdigest()
    return REFERENCE_PREFIX + digest[:32]


def room_stay(
    stay: AvailabilityQuery, room_type: str, rate_plan: str, secret: OperaSecret
) -> dict[str, Any]:
    """``roomStay`` for one room of ``room_type`` at ``rate_plan`` for the whole stay."""
    counts = {"adults": stay.adults, "children": stay.children}
    rate: dict[str, Any] = {
        "roomType": room_type,
        "ratePlanCode": rate_plan,
        "start": stay.arrival.isoformat(),
        "end": stay.departure.isoformat(),
        "numberOfUnits": 1,
        "guestCounts": counts,
    }
    if secret.market_code:
        rate["marketCode"] = secret.market_code
    if secret.source_code:
        rate["sourceCode"] = secret.source_code
    return {
        "arrivalDate": stay.arrival.isoformat(),
        "departureDate": stay.departure.isoformat(),
        "guestCounts": counts,
        "roomRates": [rate],
    }


def create_body(
    hotel_code: str,
    request: BookingRequest,
    room_type: str,
    rate_plan: str,
    reference: str,
    secret: OperaSecret,
) -> dict[str, Any]:
    """``postReservation``: one reservation, the guest's profile inline, our reference on it."""
    stay = room_stay(request.stay, room_type, rate_plan, secret)
    if secret.guarantee_code:
        stay["guarantee"] = {"guaranteeCode": secret.guarantee_code}
    reservation: dict[str, Any] = {
        "hotelId": hotel_code,
        "roomStay": stay,
        "reservationGuests": [
            {"profileInfo": {"profile": _profile(request.guest)}, "primary": True}
        ],
        "externalReferences": [{"id": reference, "idContext": secret.external_system_code}],
    }
    if request.notes:
        comment = {"text": {"value": request.notes}, "type": "RESERVATION", "internal": False}
        reservation["comments"] = [{"comment": comment}]
    return {"reservations": {"reservation": [reservation]}}


def change_body(
    hotel_code: str,
    reservation_id: str,
    stay: AvailabilityQuery,
    room_type: str,
    rate_plan: str,
    secret: OperaSecret,
) -> dict[str, Any]:
    """``putReservation``: the reservation (by internal id) moved to the new stay."""
    return {
        "reservations": [
            {
                "reservationIdList": [{"id": reservation_id, "type": "Reservation"}],
                "hotelId": hotel_code,
                "roomStay": room_stay(stay, room_type, rate_plan, secret),
            }
        ]
    }


def cancel_body(hotel_code: str, reservation_id: str, secret: OperaSecret) -> dict[str, Any]:
    """``postCancelReservation``: the reservation (by internal id) and why."""
    reason: dict[str, Any] = {"description": CANCELLATION_TEXT}
    if secret.cancellation_reason_code:
        reason["code"] = secret.cancellation_reason_code
    return {
        "reason": reason,
        "reservations": [
            {
                "reservationIdList": [{"id": reservation_id, "type": "Reservation"}],
                "hotelId": hotel_code,
            }
        ],
    }


def _profile(guest: GuestDetails) -> dict[str, Any]:
    if len(guest.first_name) > NAME_MAX or len(guest.last_name) > NAME_MAX:
        raise InvalidRequest(f"OPERA keeps at most {NAME_MAX} characters of a name")
    profile: dict[str, Any] = {
        "customer": {
            "personName": [
                {"givenName": guest.first_name, "surname": guest.last_name, "nameType": "Primary"}
            ]
        },
        "profileType": "Guest",
    }
    if guest.phone:
        profile["telephones"] = {
            "telephoneInfo": [{"telephone": {"phoneNumber": guest.phone, "primaryInd": True}}]
        }
    if guest.email:
        profile["emails"] = {
            "emailInfo": [{"email": {"emailAddress": guest.email, "primaryInd": True}}]
        }
    return profile
