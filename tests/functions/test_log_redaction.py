"""No log line carries a guest's phone number, e-mail or name."""

from __future__ import annotations

import json
import logging

from functions.log_format import RedactingFormatter
from hotelvoice.pms.demo_hotel import GUESTS, reservations


def format_record(message: str, **extra) -> dict:
    record = logging.LogRecord("pms", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(RedactingFormatter().format(record))


def test_shapes_and_personal_keys_are_redacted():
    line = format_record(
        "guest anna.smith@example.com called from +49 151 5550 1234 paying 4111 1111 1111 1111",
        last_name="Smith",
        caller_number="+49 151 5550 1234",
        hotel_id="aurora-berlin",
    )
    assert line["message"] == "guest [email] called from [phone] paying [card]"
    assert line["last_name"] == line["caller_number"] == "[redacted]"
    assert line["hotel_id"] == "aurora-berlin"


def test_requests_with_personal_data_leave_none_in_the_logs(plane, service_headers, capfd, caplog):
    caplog.set_level(logging.INFO)
    headers = {**service_headers, "content-type": "application/json"}
    bookings = [r for r in reservations(plane.today)[:6]]
    for booking in bookings:
        lookup = {
            "confirmation_code": booking["reservation"]["confirmation_code"],
            "last_name": booking["reservation"]["guest_last_name"],
        }
        assert (
            plane.api.request(
                "POST", "/v1/hotels/aurora-berlin/reservations/lookup", headers, json.dumps(lookup)
            ).status
            == 200
        )
        bad = {**lookup, "caller_phone": booking["guest_phone"], "confirmation_code": "??"}
        assert (
            plane.api.request(
                "POST", "/v1/hotels/aurora-berlin/reservations/lookup", headers, json.dumps(bad)
            ).status
            == 400
        )
        event = {
            "type": "call.turn",
            "event_id": f"log-{lookup['confirmation_code']}",
            "call_id": "call-log-test",
            "occurred_at": "2026-11-25T10:00:00Z",
            "index": 0,
            "role": "caller",
            "text": f"I am {booking['reservation']['guest_first_name']}, "
            f"mail {booking['guest_email']}, phone {booking['guest_phone']}",
        }
        plane.api.request("POST", "/v1/calls/call-log-test/events", headers, json.dumps(event))
    plane.drain()
    out, err = capfd.readouterr()
    written = out + err + "\n".join(r.getMessage() for r in caplog.records)
    assert written.strip(), "the functions logged nothing: the test would prove nothing"
    for booking in bookings:
        assert booking["guest_phone"] not in written
        assert booking["guest_email"] not in written
    for first, last in GUESTS:
        assert f"{first} {last}" not in written
        assert f'"{last}"' not in written


def test_dates_of_a_stay_are_not_mistaken_for_phone_numbers():
    line = format_record("stay 2026-12-16 to 19.12.2026, call back on 030 5550 1000")
    assert line["message"] == "stay 2026-12-16 to 19.12.2026, call back on [phone]"
