"""The booking ``make demo`` takes on the phone, and how the demo shows it afterwards.

The caller books a room type the demo PMS has free on every night of the stay, under a name
the hotel grammar knows and no seeded guest has. After the call the booking is read back
through the PMS API by its code and last name (what the hotel system holds, not what the
agent said), and its confirmation e-mail is shown as SES (moto) accepted it. The existing
reservation the caller cancels is read back the same way: the demo PMS holds it cancelled.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from hotelvoice.auth import Role
from hotelvoice.contracts.pms import Reservation
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, demo_items
from hotelvoice.pms.demo_keys import night_sk
from local_mode.control_plane import LocalControlPlane
from local_mode.mail import SentEmail, sent_emails
from realtime_agent.pms_client import PmsClient
from realtime_agent.transcript import CallTranscript


@dataclass(frozen=True)
class NewBooking:
    """The booking the caller makes: the guest the grammar knows, and no seeded guest."""

    room_word: str = "double"
    room_code: str = "STD"
    first_name: str = "Peter"
    last_name: str = "Collins"
    email: str = "peter.collins@example.com"
    request: str = "a baby cot"


def room_free(today: date, offset: int, nights: int, room_code: str) -> bool:
    """The demo PMS has the room type free on every night of the stay."""
    wanted = {night_sk(today + timedelta(days=offset + n), room_code) for n in range(nights)}
    free = {
        item["sk"]
        for item in demo_items(today)
        if item["sk"] in wanted and int(item.get("available", 0)) > 0
    }
    return free == wanted


def booking_made(transcript: CallTranscript) -> dict[str, Any] | None:
    """The ``book_room`` result that booked (None: the call booked nothing)."""
    for call in (c for t in transcript.turns for c in t.tool_calls if c.name == "book_room"):
        result = json.loads(call.result) if call.ok else {}
        if result.get("booked"):
            return result
    return None


def show_booking(
    transcript: CallTranscript, plane: LocalControlPlane, url: str, new: NewBooking
) -> dict[str, Any]:
    """The booking the caller made, read back from the PMS API, and its e-mail in SES.

    Read through the same API and checks a receptionist uses (code and last name), so what
    is printed is what the hotel system holds, not what the agent said. Both are returned
    for ``booking.json`` beside the transcript (the demo's test reads them there).
    """
    made = booking_made(transcript)
    if made is None:
        raise SystemExit("the demo call booked no room: see the transcript above")
    code = made["confirmation_code"]
    reservation = asyncio.run(_pms_reservation(url, plane, code, new.last_name))
    if reservation is None:
        raise SystemExit(f"booking {code} is not in the demo PMS")
    print("\nThe new booking in the demo PMS (read back through the PMS API by its code):")
    print(
        f"  {reservation.confirmation_code} · {reservation.room_type_name} · "
        f"{reservation.arrival} → {reservation.departure} · {reservation.adults} adults · "
        f"{reservation.total.amount_minor / 100:,.2f} {reservation.total.currency} · "
        f"{reservation.status.value}"
    )
    sent = sent_emails(plane.endpoint_url, to=new.email)
    if not sent:
        raise SystemExit(f"no confirmation e-mail was sent to {new.email}")
    mail = sent[-1]
    print(f"\nConfirmation e-mail, as SES (moto) accepted it: to {', '.join(mail.to)}")
    _print_mail(mail, lines=8)
    return {"pms": reservation.model_dump(mode="json"), "email": asdict(mail)}


def show_cancelled(
    plane: LocalControlPlane, url: str, code: str, last_name: str, email: str | None
) -> dict[str, Any]:
    """The reservation the caller cancelled, as the demo PMS holds it now, and its e-mail."""
    reservation = asyncio.run(_pms_reservation(url, plane, code, last_name))
    if reservation is None:
        raise SystemExit(f"booking {code} is not in the demo PMS")
    print("\nThe cancelled booking in the demo PMS (read back through the PMS API by its code):")
    print(
        f"  {reservation.confirmation_code} · {reservation.room_type_name} · "
        f"{reservation.arrival} → {reservation.departure} · {reservation.status.value}"
    )
    sent = sent_emails(plane.endpoint_url, to=email) if email else []
    mail = sent[-1] if sent else None
    if mail is not None:
        print(f"Its cancellation e-mail, to the address the booking holds: to {', '.join(mail.to)}")
        _print_mail(mail, lines=3)
    return {"pms": reservation.model_dump(mode="json"), "email": asdict(mail) if mail else None}


def _print_mail(mail: SentEmail, *, lines: int) -> None:
    print(f"  subject: {mail.subject}")
    for line in [x for x in mail.body.splitlines() if x.strip()][:lines]:
        print(f"  | {line}")


async def _pms_reservation(
    url: str, plane: LocalControlPlane, code: str, last_name: str
) -> Reservation | None:
    pms = PmsClient(url, plane.token(Role.SERVICE))
    try:
        return await pms.find_reservation(DEMO_HOTEL_ID, code, last_name)
    finally:
        await pms.aclose()
