"""Apaleo's reservation ids from what a guest read aloud.

Apaleo names a booking with letters (``XPGMSXGF``) and each reservation in it with the booking
id, a hyphen and a number (``XPGMSXGF-1``). The lookup arrives normalised
(:func:`~hotelvoice.contracts.pms.normalise_confirmation_code`): the hyphen survives when the
guest said it, but is gone when they did not ("X P G M S X G F one") or when the booking id
ends in a digit. This module turns the normalised code back into the ids Apaleo could mean,
most likely first, so the connector asks for as few as possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOOKING_ID_LENGTH = 8
"""Apaleo's booking ids have 8 characters (``XPGMSXGF``): the likeliest split comes first."""
MAX_CANDIDATES = 3
"""Each candidate costs a request while the guest waits; more than this is guessing."""
_RESERVATION_ID = re.compile(r"^[A-Z0-9]+-[1-9][0-9]{0,2}$")


@dataclass(frozen=True)
class CodeCandidates:
    """Where to look: exact reservation ids, or a booking whose reservations to search."""

    reservation_ids: tuple[str, ...]
    booking_id: str | None
    """Set when the guest may have read the booking id alone (no reservation number)."""


def candidates(code: str) -> CodeCandidates:
    """The Apaleo ids a normalised confirmation code can stand for.

    ``XPGMSXGF-1`` → that id; ``XPGMSXGF1`` → ``XPGMSXGF-1``; ``XPGMSXGF`` → the booking
    ``XPGMSXGF``; ``AB12CDEF12`` → ``AB12CDEF-12``, ``AB12CDEF1-2``, and the booking itself.
    """
    if _RESERVATION_ID.fullmatch(code):
        return CodeCandidates(reservation_ids=(code,), booking_id=None)
    code = code.replace("-", "")
    splits = [
        f"{code[:-n]}-{code[-n:]}"
        for n in (1, 2, 3)
        if len(code) > n and code[-n:].isdigit() and code[-n] != "0"
    ]
    splits.sort(key=lambda rid: (rid.index("-") != BOOKING_ID_LENGTH, rid.index("-")))
    if not splits:  # no reservation number at all: the guest read the booking id
        return CodeCandidates(reservation_ids=(), booking_id=code)
    return CodeCandidates(reservation_ids=tuple(splits[:MAX_CANDIDATES]), booking_id=None)
