"""Find what one hotel holds about one guest: their calls, by keyed hash, and mentions.

Shared by export and erasure, so both always see the same calls. A guest's calls are found
through the privacy index (``SUBJECT#<hash>`` items the call-record store writes for the
caller's number, a callback number, and what a verified reservation lookup revealed: the
booking code and the guest's full name). Mentions are the other calls of the hotel whose
redacted transcript still names the guest (a full name or a code said in someone else's
call); a sweep reads the hotel's calls within its retention to find them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.privacy import DataSubject, canonical_phone
from hotelvoice.privacy.keys import request_hash, subject_hash
from hotelvoice.redaction import PHONE_PATTERN

TEXT_FIELDS = {
    "TURN#": ("text",),
    "MESSAGE#": ("message",),
    "REQUEST#": ("details",),
    "TOOL#": ("result",),
}
"""Where a stored item of a call may name somebody (arguments are redacted by key)."""


@dataclass
class SubjectCalls:
    """The request's hashes and the hotel's calls that belong to the guest."""

    hotel_id: str
    subject: DataSubject
    hashes: dict[str, str]
    request_hash: str
    call_ids: list[str] = field(default_factory=list)


def find_subject_calls(store: CallRecordStore, hotel_id: str, subject: DataSubject) -> SubjectCalls:
    """The guest's calls at this hotel (another hotel's calls of the same guest are not)."""
    identifiers = subject.identifiers()
    hashes = {kind: subject_hash(kind, value) for kind, value in identifiers.items()}
    found = SubjectCalls(hotel_id, subject, hashes, request_hash(identifiers))
    for call_id, indexed_hotel in sorted(store.calls_of_subject(list(hashes.values())).items()):
        if (store.summary_of(call_id).get("hotel_id") or indexed_hotel) == hotel_id:
            found.call_ids.append(call_id)
    return found


def mention_pattern(subject: DataSubject) -> re.Pattern[str] | None:
    """The full name, the e-mail and the code, whole words, any case.

    Not a bare last name: that would hit another guest of the same family name.
    """
    alternatives = [re.escape(w) for w in (subject.email, subject.confirmation_code) if w]
    if subject.name:
        alternatives.append(r"\s+".join(re.escape(p) for p in subject.name.full.split()))
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def names_subject(text: str, subject: DataSubject, pattern: re.Pattern[str] | None) -> bool:
    """Does ``text`` name the guest (their full name, e-mail, code or phone in any format)?"""
    if pattern is not None and pattern.search(text):
        return True
    return subject.phone is not None and any(
        _same_phone(m.group(), subject.phone) for m in PHONE_PATTERN.finditer(text)
    )


def redact_subject(text: str, subject: DataSubject, pattern: re.Pattern[str] | None) -> str:
    """``text`` with the guest's name, e-mail, code and phone replaced by placeholders."""
    if pattern is not None:
        text = pattern.sub("[redacted]", text)
    if subject.phone is not None:
        text = PHONE_PATTERN.sub(
            lambda m: "[phone]" if _same_phone(m.group(), subject.phone or "") else m.group(),
            text,
        )
    return text


def _same_phone(found: str, phone: str) -> bool:
    """The same number, international or national (``0176 …`` for ``+49176…``)."""
    digits, wanted = canonical_phone(found).lstrip("+"), phone.lstrip("+")
    national = digits.lstrip("0")
    return digits == wanted or (len(national) >= 8 and wanted.endswith(national))


@dataclass
class Sweep:
    """A bounded read of the hotel's calls: a Lambda has 29 seconds for the whole request."""

    budget_s: float = 12.0
    complete: bool = True
    calls_read: int = 0
    started: float = field(default_factory=time.monotonic)

    def over(self) -> bool:
        """Out of time: the sweep stops and says it did not finish."""
        if time.monotonic() - self.started > self.budget_s:
            self.complete = False
        return not self.complete


def mentions_in(
    store: CallRecordStore,
    hotel_id: str,
    subject: DataSubject,
    skip: set[str],
    sweep: Sweep | None = None,
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every text field of the hotel's other calls that names the guest.

    Yields (call id, item, field name), newest calls first, until ``sweep``'s budget is spent.
    """
    pattern = mention_pattern(subject)
    sweep = sweep or Sweep()
    for call_id in store.call_ids_of_hotel(hotel_id):
        if call_id in skip:
            continue
        if sweep.over():
            return
        sweep.calls_read += 1
        for item in store.raw_items(call_id):
            for prefix, fields in TEXT_FIELDS.items():
                if not item["sk"].startswith(prefix):
                    continue
                for name in fields:
                    value = item.get(name)
                    if isinstance(value, str) and names_subject(value, subject, pattern):
                        yield call_id, item, name
