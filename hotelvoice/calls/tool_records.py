"""What a tool call leaves in the record: arguments without names, what a lookup revealed.

Shared by the store (which indexes and redacts by it) and the erasure (which looks for the
names a lookup revealed in the TTS cache).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from hotelvoice.contracts.call_events import ToolCalled
from hotelvoice.contracts.pms import normalise_confirmation_code
from hotelvoice.contracts.privacy import canonical_name
from hotelvoice.redaction import redact


def lookup_revealed(result_text: str) -> tuple[str | None, str | None]:
    """(booking code, guest's full name) a found reservation's result names, where it does.

    The agent sends the names it verified redacted (``[name]``), so a name is often absent.
    """
    try:
        result = json.loads(result_text)
    except ValueError:
        return None, None
    if not isinstance(result, dict) or not result.get("found"):
        return None, None
    code, name = result.get("confirmation_code"), result.get("guest_name")
    return (
        code if isinstance(code, str) else None,
        name if isinstance(name, str) and "[" not in name and len(name) > 3 else None,
    )


def tool_identifiers(event: ToolCalled) -> list[tuple[str, str]]:
    """The booking code and the guest's full name a successful lookup revealed.

    Indexed by keyed hash, so an access or erasure request finds the call by them.
    """
    if event.name != "find_reservation" or not event.ok:
        return []
    code, name = lookup_revealed(event.result)
    found = [("code", normalise_confirmation_code(code))] if code else []
    return found + ([("name", canonical_name(name))] if name else [])


def booking_guest_words(event: ToolCalled) -> list[str]:
    """The guest's names a booking's details carry, to take out of the turns stored before.

    The caller said them before ``book_room`` knew them: the name, and the e-mail spelled
    word by word ("peter dot collins at …"), whose local part is the name again.
    """
    if event.name != "book_room":
        return []
    values = [event.arguments.get("first_name"), event.arguments.get("last_name")]
    words = [v for v in values if isinstance(v, str)]
    email = event.arguments.get("email")
    if isinstance(email, str) and "@" in email:
        words += re.split(r"[._+-]", email.split("@", 1)[0])
    return [w for w in words if len(w.strip()) > 1]


def redact_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """Tool arguments may carry a guest's name (``last_name``): keep the key, drop the value.

    Numbers become ``Decimal``: DynamoDB stores no floats.
    """
    return {k: "[name]" if "name" in k else _storable(v) for k, v in arguments.items()}


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value
