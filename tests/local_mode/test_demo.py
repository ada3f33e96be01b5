"""``make demo``: one spoken call that books a room, cancels another and asks for a taxi.

Run as users run it (a separate process): the caller's lines go through espeak-ng and
pocketsphinx, the receptionist answers on the fallback policy. The booking it makes must be
in the demo PMS (read back through the PMS API by its code), in the stored call record (a
``call.booking`` event) and in one confirmation e-mail accepted by SES on moto. The existing
reservation it cancels must be cancelled in the demo PMS, in the record and in an e-mail to
the booking's own address; the taxi must be a front-desk request with a reference number.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from hotelvoice.pms.demo_hotel import reservations
from local_mode.demo import demo_script
from local_mode.demo_booking import booking_made
from realtime_agent.transcript import CallTranscript


def test_the_demo_books_cancels_and_takes_a_request(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "local_mode.cli", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    closing = result.stdout.rstrip().splitlines()[-1]
    assert "http://127.0.0.1:3000/console/" in closing
    assert "development sign-in" in closing
    transcript = CallTranscript.model_validate_json((tmp_path / "transcript.json").read_text())
    record = json.loads((tmp_path / "call_record.json").read_text())
    shown = json.loads((tmp_path / "booking.json").read_text())
    today = date.fromisoformat(record["started_at"][:10])
    script = demo_script(today)
    new = script.new_booking
    texts = [t.text for t in transcript.turns if t.role == "agent"]
    assert "automated assistant" in texts[0]
    calls = [c for t in transcript.turns for c in t.tool_calls]
    assert [c.name for c in calls] == [
        "check_availability",
        "book_room",  # the read-back: nothing booked yet
        "book_room",  # after the caller's yes
        "find_reservation",
        "find_reservation",
        "cancel_reservation",  # the quote: nothing cancelled yet
        "cancel_reservation",  # after the caller's yes
        "request_front_desk",  # the read-back: nothing sent yet
        "request_front_desk",  # after the caller's yes
        "end_call",
    ]
    offers = json.loads(calls[0].result)["offers"]
    assert calls[0].arguments["arrival"] == script.arrival.isoformat()
    assert offers
    assert all(f"{o['total_minor'] / 100:,.2f}".replace(".00", "") in result.stdout for o in offers)

    # The booking: the double chosen, the name and e-mail as spoken, the request, one yes.
    read_back, booked = calls[1], calls[2]
    assert read_back.arguments == booked.arguments
    assert booked.arguments["room"] == "Standard Double"
    assert (booked.arguments["first_name"], booked.arguments["last_name"]) == (
        new.first_name,
        new.last_name,
    )
    assert booked.arguments["email"] == new.email
    assert booked.arguments["notes"] == new.request
    assert json.loads(read_back.result)["needs_confirmation"] is True
    made = booking_made(transcript)
    assert made is not None
    code = made["confirmation_code"]
    assert made["code_spelled"] in " ".join(texts)  # the code spelled to the caller

    # ... in the demo PMS, read back by its code and the guest's last name,
    assert shown["pms"]["confirmation_code"] == code
    assert shown["pms"]["room_type_name"] == "Standard Double"
    assert shown["pms"]["arrival"] == script.arrival.isoformat()
    assert shown["pms"]["status"] == "confirmed"
    # ... in the stored call record (no guest name in it),
    event, cancelled = record["bookings"]
    assert (event["action"], event["confirmation_code"]) == ("created", code)
    assert event["confirmation_sent"] is True
    stored = json.dumps(record).lower()
    assert new.last_name.lower() not in stored
    assert new.first_name.lower() not in stored
    # ... and in one confirmation e-mail sent through SES.
    assert shown["email"]["to"] == [new.email]
    assert code in shown["email"]["subject"] + shown["email"]["body"]
    assert code in result.stdout

    # The reservation check still shows verification: a misread code first, then the right one.
    assert calls[3].arguments == {
        "confirmation_code": script.wrong_code,
        "last_name": script.last_name,
    }
    assert json.loads(calls[3].result)["found"] is False
    assert calls[4].arguments["confirmation_code"] == script.confirmation_code
    booking = next(
        r["reservation"]
        for r in reservations(today)
        if r["reservation"]["confirmation_code"] == script.confirmation_code
    )
    assert json.loads(calls[4].result)["arrival"] == booking["arrival"]

    # The cancellation: the fee or the free deadline stated, cancelled only after the yes,
    quote, done = json.loads(calls[5].result), json.loads(calls[6].result)
    assert quote["cancelled"] is False
    said = next(t for t in texts if "Shall I cancel it" in t)
    if quote["free"]:
        assert f"free of charge until {quote['free_until_spoken']}" in said
    else:
        assert quote["fee_text"] in said
    assert done["cancelled"] is True
    # ... in the record with the PMS's code, in the demo PMS, and e-mailed to the booking.
    assert (cancelled["action"], cancelled["confirmation_code"]) == (
        "cancelled",
        script.confirmation_code,
    )
    assert cancelled["confirmation_sent"] is True
    assert shown["cancelled"]["pms"]["status"] == "cancelled"
    assert shown["cancelled"]["email"]["to"] == [script.guest_email]
    assert script.confirmation_code in shown["cancelled"]["email"]["subject"]
    assert "booking cancelled: " + script.confirmation_code in result.stdout

    # The taxi: the agent cannot book it, it becomes a request with a reference number.
    asked, sent = calls[7], calls[8]
    assert asked.arguments["category"] == sent.arguments["category"] == "taxi"
    assert json.loads(asked.result)["needs_confirmation"] is True
    reference = json.loads(sent.result)["reference"]
    [request] = record["requests"]
    assert (request["category"], request["reference"]) == ("taxi", reference)
    assert f"reference {reference}" in result.stdout
    assert "Goodbye" in texts[-1]
    assert record["outcome"] == "completed"
    assert [c["name"] for c in record["tool_calls"]] == [c.name for c in calls]
    assert script.last_name not in json.dumps(record)
    assert len(list(tmp_path.glob("caller_*.wav"))) == len(script.lines)
    assert len(list(tmp_path.glob("agent_*.wav"))) == len(texts)
    assert "Stored call record" in result.stdout
