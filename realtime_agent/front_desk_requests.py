"""Requests for the front desk: what the receptionist cannot do itself, passed on honestly.

A taxi, a wake-up call, a billing dispute, a table in the restaurant, lost property, a group
of rooms for the sales team: the agent cannot do any of these, and must never say it did.
It takes the request instead, the same way for both dialogue engines:

1. the first call of the tool records nothing; it returns the request to read back (what,
   and the number the front desk calls back on: the caller's own unless they gave another);
2. the caller's explicit yes (heard by the receptionist, like a booking's) lets the second
   call with the same arguments record it once, as a ``call.request`` event, with a short
   reference the agent spells in the caller's language;
3. the same request again in the same call (a second tool call, a repeated yes, a
   reconnect) answers with the same reference and records nothing more.

The agent then says the front desk *has* the request, never that the hotel will do it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from hotelvoice.contracts.call_events import FrontDeskCategory
from realtime_agent.booking import fingerprint, spell_code, spoken_phone
from realtime_agent.transcript import RequestView

if TYPE_CHECKING:
    from realtime_agent.call_state import CallState

REQUEST_TOOL = "request_front_desk"
"""The tool both engines call to pass a request on (``Receptionist.request_front_desk``)."""
CATEGORIES: tuple[str, ...] = get_args(FrontDeskCategory)
"""What a request can be about, as the call record names it."""
MAX_DETAILS_CHARS = 500
_READ_BACK_PREFIX = "request:"
"""Marks a request's read-back in ``CallState.read_back`` (a booking's has none)."""


@dataclass(frozen=True)
class RequestDraft:
    """A request being taken: what it is about, the caller's words, where to call back.

    ``callback`` is None until asked; "" means the number the caller is calling from.
    """

    category: str
    details: str
    callback: str | None = None

    def arguments(self) -> dict[str, Any]:
        """The arguments of ``request_front_desk`` (the same twice: read-back, then yes)."""
        return {
            "category": self.category,
            "details": self.details,
            "callback_number": self.callback or "",
        }


def dialable(number: str | None) -> str | None:
    """Digits with an optional leading "+", as the call record stores a callback number."""
    digits = re.sub(r"[^0-9+]", "", number or "")
    digits = digits[:1] + digits[1:].replace("+", "")
    return digits if re.fullmatch(r"\+?[0-9]{3,20}", digits) else None


def request_key(call_id: str, category: str, details: str) -> str:
    """One key per call and request: the same words asked twice are one request."""
    said = " ".join(details.lower().split())
    material = json.dumps([call_id, category, said])
    return "hv-request-" + hashlib.sha256(material.encode()).hexdigest()[:32]


def local_reference(key: str) -> str:
    """A six-digit reference where no call record numbers the request (a test, a demo)."""
    return f"{int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10**6:06d}"


def read_back_result(category: str, details: str, callback: str | None, language: str) -> str:
    """The request to read back before it is recorded (nothing is passed on yet)."""
    return json.dumps(
        {
            "recorded": False,
            "needs_confirmation": True,
            "category": category,
            "details": details,
            "callback_number": callback or "",
            "callback_spoken": spoken_phone(callback, language) if callback else "",
            "directive": (
                "Read the request and the callback number back in one short sentence and ask "
                "whether to pass it to the front desk. Only after the caller's explicit yes, "
                "call request_front_desk again with exactly the same arguments."
            ),
        },
        ensure_ascii=False,
    )


def recorded_result(category: str, reference: str, spelled: str) -> str:
    """The request reached the front desk: the reference to give, nothing promised."""
    return json.dumps(
        {
            "recorded": True,
            "category": category,
            "reference": reference,
            "reference_spelled": spelled,
            "directive": (
                "Say the front desk has the request and give the reference exactly as "
                "reference_spelled. Never say the hotel will do it or that it is booked."
            ),
        },
        ensure_ascii=False,
    )


def take_request(
    state: CallState,
    category: str,
    details: str,
    callback_number: str,
    spell_letter: Callable[[str, str], str],
) -> str:
    """Read the request back, or record it once after the caller's yes.

    Args:
        state: The call (its caller id, call record and confirmations).
        category: One of ``CATEGORIES``; anything else is ``other``.
        details: What the caller asked for, in their words.
        callback_number: The number to call back on; empty for the caller's own.
        spell_letter: How the caller's language spells a letter (a reference has none yet,
            but the reference spelling follows the booking codes').

    Returns:
        The tool result (JSON) both engines speak from.
    """
    category = category if category in CATEGORIES else "other"
    details = " ".join(details.split())[:MAX_DETAILS_CHARS]
    if not details:
        raise ValueError("details are empty")
    callback = dialable(callback_number) or dialable(state.caller_number)
    key = request_key(state.call_id, category, details)
    if key in state.requests:
        return state.requests[key]  # recorded already: a second call, a repeated yes
    signed = _READ_BACK_PREFIX + fingerprint(
        {"category": category, "details": details, "callback": callback or ""}
    )
    if state.booking_confirmed != signed:
        state.read_back, state.booking_confirmed = signed, None
        return read_back_result(category, details, callback, state.language)
    if state.events is not None:
        reference = state.events.front_desk_request(
            category,  # type: ignore[arg-type]  # checked against CATEGORIES above
            details,
            callback_number=callback,
            language=state.language,
            confirmation_code=state.verified_reservation,
            key=key,  # the same event after a reconnect: the call record keeps one
        )
    else:
        reference = local_reference(key)
    spelled = spell_code(reference, state.language, spell_letter)
    result = recorded_result(category, reference, spelled)
    state.requests[key] = result
    state.requested.append(
        RequestView(
            category=category, details=details, reference=reference, callback_number=callback
        )
    )
    state.read_back = state.booking_confirmed = None
    return result
