"""Changes and cancellations are e-mailed to the address the booking holds, in its language.

The agent never passes an address for them (it never learns the guest's): the PMS routes ask
the connector after the write. Each write sends once; a booking without an address gets no
e-mail unless the caller gave one; a cancellation says "free of charge" or names its fee.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from hotelvoice.contracts.pms import ConfirmationRecipient, Money
from hotelvoice.mail.confirmation import ConfirmationFacts, compose
from hotelvoice.mail.contacts import booking_contact, recipient
from tests.functions.test_booking_confirmations import a_booking, address, mails_to
from tests.functions.test_pms_write_routes import headers, post


def made(plane, start_days: int, to: str | None, **extra) -> tuple[dict, dict]:
    """A booking in the demo PMS (with ``to`` as its address) and its verification."""
    stay, _, body = a_booking(plane, start_days, to, **extra)
    answer = post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    assert answer.status == 201, answer.body
    code = answer.json()["reservation"]["confirmation_code"]
    return stay, {"confirmation_code": code, "last_name": "Vogel"}


def test_a_change_goes_to_the_bookings_address_in_its_language_once(plane):
    to = address()
    stay, lookup = made(plane, 110, to, language="it")
    longer = stay | {
        "departure": (date.fromisoformat(stay["departure"]) + timedelta(days=1)).isoformat()
    }
    change = {"lookup": lookup, "change": {"stay": longer}}
    key = str(uuid.uuid4())
    amended = post(plane, "/reservations/amend", change, headers(plane, key))
    assert amended.status == 200, amended.body
    assert amended.json()["confirmation_sent"] is True
    again = post(plane, "/reservations/amend", change, headers(plane, key))
    assert again.status == 200
    assert again.json()["confirmation_sent"] is None  # the retry sends nothing
    changed = [m for m in mails_to(plane, to) if "modificata" in m.subject]
    assert len(changed) == 1
    body = changed[0].body
    total = amended.json()["total"]["amount_minor"]
    departure = date.fromisoformat(longer["departure"])
    assert f"{total // 100},{total % 100:02d} EUR" in body  # the new total
    assert f"Partenza: {departure.day} " in body
    assert "(3 notti)" in body
    assert lookup["confirmation_code"] in changed[0].subject


def test_a_cancellation_goes_to_the_bookings_address_and_says_it_is_free(plane):
    to = address()
    _, lookup = made(plane, 115, to, language="de")
    done = post(plane, "/reservations/cancel", lookup, headers(plane, str(uuid.uuid4())))
    assert done.status == 200, done.body
    assert done.json()["confirmation_sent"] is True
    assert done.json()["fee"]["amount_minor"] == 0
    [mail] = [m for m in mails_to(plane, to) if "storniert" in m.subject]
    assert "Die Stornierung ist kostenfrei." in mail.body
    assert "Stornogebühr" not in mail.body
    assert lookup["confirmation_code"] in mail.body


def test_the_bookings_address_wins_over_one_the_caller_gives(plane):
    held, given = address(), address()
    _, lookup = made(plane, 120, held, language="fr")
    cancel = lookup | {"confirm_to": {"email": given, "language": "es"}}
    done = post(plane, "/reservations/cancel", cancel, headers(plane, str(uuid.uuid4())))
    assert done.json()["confirmation_sent"] is True
    assert mails_to(plane, given) == []
    [mail] = [m for m in mails_to(plane, held) if "annulée" in m.subject]
    assert "L'annulation est gratuite." in mail.body


def test_a_booking_without_an_address_gets_no_mail(plane):
    _, lookup = made(plane, 125, None)
    done = post(plane, "/reservations/cancel", lookup, headers(plane, str(uuid.uuid4())))
    assert done.status == 200, done.body
    assert done.json()["confirmation_sent"] is None


@pytest.mark.parametrize(
    ("language", "fee_line", "free_line"),
    [
        ("en", "Cancellation fee: 120.00 EUR", "The cancellation is free of charge."),
        ("de", "Stornogebühr: 120,00 EUR", "Die Stornierung ist kostenfrei."),
        ("fr", "Frais d'annulation : 120,00 EUR", "L'annulation est gratuite."),
        ("es", "Gastos de cancelación: 120,00 EUR", "La cancelación es gratuita."),
        ("it", "Penale di cancellazione: 120,00 EUR", "La cancellazione è gratuita."),
    ],
)
def test_a_cancellation_names_its_fee_or_says_it_is_free(language, fee_line, free_line):
    def cancelled(minor: int) -> str:
        fee = Money(amount_minor=minor, currency="EUR")
        facts = ConfirmationFacts(kind="cancelled", hotel="Hotel Aurora", code="HV1234", fee=fee)
        return compose(facts, language).body

    charged, free = cancelled(12000), cancelled(0)
    assert fee_line in charged
    assert free_line not in charged
    assert free_line in free
    assert fee_line.split(":")[0].strip() not in free


async def test_a_connector_that_cannot_tell_leaves_the_callers_address():
    assert await booking_contact(object(), "h", "HV1") is None
    given = ConfirmationRecipient(email="given@example.com", language="es")
    held = ConfirmationRecipient(email="held@example.com")
    assert recipient(None, given) == given
    assert recipient(held, given) == ConfirmationRecipient(email="held@example.com", language="es")
    assert recipient(None, None) == ConfirmationRecipient()
