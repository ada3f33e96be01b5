"""What ``make demo`` prints of the stored call record (``GET /v1/calls/{id}``).

The bookings the call made, changed or cancelled (with the PMS's own ids where it has them)
and the requests it took for the front desk (with their reference numbers): what staff see
of the call, read back through the calls API, not what the agent said.
"""

from __future__ import annotations

from typing import Any


def print_record(record: dict[str, Any]) -> None:
    """The stored call record as a newcomer reads it: what the call did, no personal data."""
    if "error" in record:  # the record is not there: say why instead of failing on a key
        raise SystemExit(f"the call record could not be read: {record['error']}")
    print("\nStored call record (GET /v1/calls/{id}, staff token):")
    print(
        f"  call {record['call_id']} · hotel {record['hotel_id']} · language {record['language']}"
    )
    print(
        f"  started {record['started_at']} · ended {record['ended_at']} · "
        f"duration {record['duration_s']} s · outcome {record['outcome']}"
    )
    print(
        f"  {len(record['turns'])} turns, {len(record['tool_calls'])} tool calls: "
        + ", ".join(c["name"] for c in record["tool_calls"])
    )
    print(f"  caller stored as keyed hash {record['caller_hash']} (the number itself sealed)")
    for booking in record.get("bookings") or []:
        total = booking.get("total_minor")
        money = "fee " if booking.get("action") == "cancelled" else ""
        amount = None if total is None else f"{money}{total / 100:,.2f} {booking.get('currency')}"
        price = f" · {amount}" if amount else ""
        sent = " · confirmation e-mail sent" if booking.get("confirmation_sent") else ""
        ids = (booking.get("pms_ids") or {}).items()
        pms = "".join(f" · {name} {value}" for name, value in ids)
        print(
            f"  booking {booking.get('action')}: {booking['confirmation_code']}{pms} · "
            f"{booking.get('room_type')} · {booking.get('arrival')} → "
            f"{booking.get('departure')}{price}{sent}"
        )
    for request in record.get("requests") or []:
        print(
            f"  request for the front desk: {request.get('category')} · reference "
            f"{request.get('reference')} · {request.get('details')!r}"
        )
    consent = record.get("consent") or {}
    if consent:
        kept = "kept" if consent["transcript_kept"] else "not kept"
        print(f"  recording: {consent['recording']} ({consent['via']}), transcript {kept}")
