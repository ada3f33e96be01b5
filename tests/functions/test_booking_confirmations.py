"""Confirmation e-mails after PMS writes: sent once through SES (moto), in the guest's language.

The booking is done before anything is sent: a failed send leaves it booked and says so, a
retried Idempotency-Key sends nothing, and no address or the hotel's switch off sends nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from hotelvoice import aws
from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.pms.registry import forget_config
from local_mode.mail import sent_emails
from tests.functions.test_pms_write_routes import an_offer, booking, headers, post

CONFIG = f"/v1/hotels/{DEMO_HOTEL_ID}/config"


def address() -> str:
    return f"guest-{uuid.uuid4().hex[:10]}@example.com"


def mails_to(plane, to: str):
    return sent_emails(plane.endpoint_url, to=to)


def admin(plane) -> dict[str, str]:
    token = plane.token(Role.ADMIN, [DEMO_HOTEL_ID], subject="admin-mail-test")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


@contextmanager
def booking_settings(plane, **settings) -> Iterator[None]:
    """The demo hotel with these booking settings for the block, as it was afterwards."""
    before = plane.api.request("GET", CONFIG, admin(plane)).json()
    body = {k: v for k, v in before.items() if k not in {"hotel_id", "updated_at", "updated_by"}}
    changed = plane.api.request(
        "PUT", CONFIG, admin(plane), json.dumps(body | {"booking": settings})
    )
    assert changed.status == 200, changed.body
    forget_config(DEMO_HOTEL_ID)
    try:
        yield
    finally:
        now = plane.api.request("GET", CONFIG, admin(plane)).json()
        restored = body | {"version": now["version"]}
        assert plane.api.request("PUT", CONFIG, admin(plane), json.dumps(restored)).status == 200
        forget_config(DEMO_HOTEL_ID)


def a_booking(plane, start_days: int, to: str | None, **extra) -> tuple[dict, dict, dict]:
    stay, offer = an_offer(plane, start_days)
    body = booking(stay, offer) | extra
    if to:
        body["guest"] = body["guest"] | {"email": to}
    return stay, offer, body


def test_a_german_booking_is_confirmed_once_in_german_and_a_retry_sends_nothing(plane):
    to = address()
    stay, offer, body = a_booking(plane, 80, to, language="de")
    key = str(uuid.uuid4())
    made = post(plane, "/bookings", body, headers(plane, key))
    assert made.status == 201, made.body
    assert made.json()["confirmation_sent"] is True
    again = post(plane, "/bookings", body, headers(plane, key))
    assert again.status == 200
    assert again.json()["confirmation_sent"] is None
    (mail,) = mails_to(plane, to)
    reservation = made.json()["reservation"]
    code = reservation["confirmation_code"]
    assert code in mail.subject
    assert mail.subject.startswith("Ihre Buchung bei ")
    assert mail.sender == "bookings@hotelvoice.example"
    arrival = date.fromisoformat(stay["arrival"])
    for expected in (
        "Guten Tag Lena Vogel,",
        f"Buchungsnummer: {code}",
        f"Anreise: {arrival.day}. ",
        "(2 Nächte)",
        f"Zimmer: {reservation['room_type_name']}",
        f"Gesamtpreis: {offer['total']['amount_minor'] // 100},",
        "Stornierung: ",
    ):
        assert expected in mail.body, (expected, mail.body)
    info = plane.api.request("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/info", headers(plane)).json()
    assert info["name"] in mail.subject
    assert "Thank you" not in mail.body
    assert "garantieren" not in mail.body  # the demo hotel asks for no guarantee


def test_no_mail_without_an_address_or_with_the_hotels_switch_off(plane):
    _, _, body = a_booking(plane, 85, None)
    made = post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    assert made.status == 201
    assert made.json()["confirmation_sent"] is None
    to = address()
    with booking_settings(plane, confirmation_email=False):
        _, _, body = a_booking(plane, 88, to)
        made = post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    assert made.status == 201, made.body
    assert made.json()["confirmation_sent"] is None
    assert mails_to(plane, to) == []


def test_a_payment_link_hotel_sends_the_link_and_a_front_desk_hotel_says_who_guarantees(plane):
    to = address()
    link = "https://pay.example.com/hotel?booking={confirmation_code}"
    with booking_settings(plane, guarantee="payment_link", payment_link_url=link):
        _, _, body = a_booking(plane, 92, to, language="en-GB")
        made = post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    code = made.json()["reservation"]["confirmation_code"]
    (mail,) = mails_to(plane, to)
    assert f"https://pay.example.com/hotel?booking={code}" in mail.body
    assert mail.body.startswith("Dear Lena Vogel,")
    to = address()
    with booking_settings(plane, guarantee="front_desk"):
        _, _, body = a_booking(plane, 96, to, language="it")
        post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    (mail,) = mails_to(plane, to)
    assert "La nostra reception garantisce la prenotazione" in mail.body
    assert "https://" not in mail.body


@pytest.fixture
def sender_unverified(plane) -> Iterator[None]:
    """SES (moto's too) refuses a sender whose identity is not verified."""
    ses = aws.client("sesv2")
    identity = plane.resources.parameters["MailIdentity"]
    ses.delete_email_identity(EmailIdentity=identity)
    try:
        yield
    finally:
        ses.create_email_identity(EmailIdentity=identity)


def test_a_refused_send_leaves_the_booking_made_and_says_so(plane, sender_unverified, caplog):
    to = address()
    _, _, body = a_booking(plane, 100, to)
    key = str(uuid.uuid4())
    made = post(plane, "/bookings", body, headers(plane, key))
    assert made.status == 201, made.body
    assert made.json()["confirmation_sent"] is False
    code = made.json()["reservation"]["confirmation_code"]
    lookup = {"confirmation_code": code, "last_name": "Vogel"}
    found = post(plane, "/reservations/lookup", lookup, headers(plane))
    assert found.json()["status"] == "confirmed"
    again = post(plane, "/bookings", body, headers(plane, key))
    assert again.json()["reservation"]["confirmation_code"] == code
    assert mails_to(plane, to) == []
    logged = caplog.text
    assert "confirmation e-mail not sent" in logged
    assert to not in logged
    assert "Vogel" not in logged


def test_a_cancellation_and_an_amendment_are_confirmed_where_an_address_is_given(plane):
    stay, _, body = a_booking(plane, 105, None)
    made = post(plane, "/bookings", body, headers(plane, str(uuid.uuid4())))
    code = made.json()["reservation"]["confirmation_code"]
    lookup = {"confirmation_code": code, "last_name": "Vogel"}
    to = address()
    shorter = stay | {"departure": (date.fromisoformat(stay["arrival"]) + timedelta(days=1))}
    shorter["departure"] = shorter["departure"].isoformat()
    key = str(uuid.uuid4())
    change = {"lookup": lookup, "change": {"stay": shorter}}
    change["confirm_to"] = {"email": to, "language": "fr"}
    amended = post(plane, "/reservations/amend", change, headers(plane, key))
    assert amended.status == 200, amended.body
    assert amended.json()["confirmation_sent"] is True
    assert post(plane, "/reservations/amend", change, headers(plane, key)).status == 200
    (mail,) = mails_to(plane, to)
    assert "a été modifiée" in mail.subject
    assert "(1 nuit)" in mail.body
    cancel = lookup | {"confirm_to": {"email": to, "language": "es"}}
    done = post(plane, "/reservations/cancel", cancel, headers(plane, str(uuid.uuid4())))
    assert done.status == 200, done.body
    assert done.json()["confirmation_sent"] is True
    cancelled = [m for m in mails_to(plane, to) if "cancelada" in m.subject]
    assert len(cancelled) == 1
    assert "La cancelación es gratuita." in cancelled[0].body


@pytest.mark.parametrize(
    ("booking", "error"),
    [
        ({"guarantee": "payment_link"}, "needs a payment_link_url"),
        ({"guarantee": "payment_link", "payment_link_url": "http://pay.example.com/x"}, "https"),
        ({"payment_link_url": "https://pay.example.com/{guest_name}"}, "confirmation_code"),
        ({"guarantee": "card_by_voice"}, "guarantee"),
        ({"group_threshold_rooms": 1}, "group_threshold_rooms"),
        ({"confirmation_email": "yes"}, "confirmation_email"),
    ],
)
def test_put_config_refuses_booking_settings_that_cannot_work(plane, booking, error):
    before = plane.api.request("GET", CONFIG, admin(plane)).json()
    body = {k: v for k, v in before.items() if k not in {"hotel_id", "updated_at", "updated_by"}}
    refused = plane.api.request(
        "PUT", CONFIG, admin(plane), json.dumps(body | {"booking": booking})
    )
    assert refused.status == 400, refused.body
    assert error in refused.body.decode()
    after = plane.api.request("GET", CONFIG, admin(plane)).json()
    assert after["version"] == before["version"]
    assert after["booking"] == {
        "guarantee": "none",
        "confirmation_email": True,
        "group_threshold_rooms": 3,
        "payment_link_url": None,
    }


def test_every_language_catalog_has_every_kind_and_placeholder_of_the_english_one():
    from hotelvoice.contracts.hotels import SUPPORTED_LANGUAGES
    from hotelvoice.mail.confirmation import catalog, languages

    assert set(languages()) == set(SUPPORTED_LANGUAGES)
    english = catalog("en")
    for language in languages():
        words = catalog(language)
        assert words.keys() == english.keys(), language
        for kind in ("created", "changed", "cancelled"):
            placeholders = {p for line in words[kind]["body"] for p in _names(line)}
            assert placeholders == {p for line in english[kind]["body"] for p in _names(line)}
            assert _names(words[kind]["subject"]) == _names(english[kind]["subject"])


def _names(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
