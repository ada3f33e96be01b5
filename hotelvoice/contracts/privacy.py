"""Access and erasure requests (GDPR Art. 15 and 17): who is asked for, and what we answer.

A data subject is named by what a hotel knows of a guest: the phone they called from, their
e-mail, their first and last name, a booking's confirmation code. Any one is enough to ask;
each is normalised before it is hashed, so ``+49 176 1234 5678`` and ``004917612345678`` find
the same calls.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hotelvoice.contracts.hotels import HOTEL_ID_PATTERN
from hotelvoice.contracts.pms import CONFIRMATION_CODE, normalise_confirmation_code


def canonical_phone(number: str) -> str:
    """``+49 (176) 1234-5678``, ``0049176…``, ``tel:+49…`` → ``+4917612345678``."""
    text = number.strip().removeprefix("tel:").removeprefix("sip:").split("@")[0]
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    return digits


def canonical_name(name: str) -> str:
    """Case, spacing and hyphen spacing folded: ``  Doe - Smith`` → ``doe-smith``."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


class PersonName(BaseModel):
    """First and last name together: a last name alone names a family, not a guest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first: str = Field(min_length=1, max_length=80)
    last: str = Field(min_length=1, max_length=80)

    @property
    def full(self) -> str:
        """``first last``, as a reservation names its guest."""
        return f"{self.first.strip()} {self.last.strip()}"


class DataSubject(BaseModel):
    """The guest an access or erasure request is about (one or more identifiers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: str | None = Field(default=None, min_length=5, max_length=32)
    email: str | None = Field(default=None, min_length=3, max_length=254)
    name: PersonName | None = None
    confirmation_code: str | None = Field(default=None, min_length=2, max_length=40)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = canonical_phone(value)
        if not re.fullmatch(r"\+?[0-9]{5,20}", phone):
            raise ValueError("phone must be a telephone number")
        return phone

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        email = value.strip().casefold()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ValueError("email must be an e-mail address")
        return email

    @field_validator("confirmation_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # as the calls were indexed: the PMS's own shape (Apaleo's XPGMSXGF-1 keeps its suffix)
        code = normalise_confirmation_code(value)
        if not CONFIRMATION_CODE.match(code):
            raise ValueError("confirmation_code must be 2-24 letters or digits")
        return code

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not (self.phone or self.email or self.name or self.confirmation_code):
            raise ValueError("name at least one of phone, email, name, confirmation_code")
        return self

    def identifiers(self) -> dict[str, str]:
        """Kind → canonical value, the input of the keyed hashes."""
        found = {
            "phone": self.phone,
            "email": self.email,
            "name": canonical_name(self.name.full) if self.name else None,
            "code": self.confirmation_code,
        }
        return {kind: value for kind, value in found.items() if value}

    def mentions(self) -> list[str]:
        """Texts that name the subject in a transcript (what a sweep looks for)."""
        texts = [self.phone, self.email, self.confirmation_code]
        if self.name:
            texts += [self.name.full, self.name.last]
        return [t for t in texts if t]


class PrivacyRequest(BaseModel):
    """``POST /v1/privacy/export`` and ``/erase``: one hotel, one guest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hotel_id: str = Field(pattern=HOTEL_ID_PATTERN)
    subject: DataSubject


class ExportedRecording(BaseModel):
    """A recording of one of the guest's calls, readable for a short while."""

    call_id: str
    url: str | None = None
    """A presigned link (``link_expires_at``); ``None`` when the file is not in our bucket."""
    location: str | None = None
    """Where a recording outside our bucket lives (the hotel's own egress storage)."""
    link_expires_at: datetime | None = None
    duration_s: float | None = None


class PrivacyExport(BaseModel):
    """Everything we hold about one guest for one hotel (GDPR Art. 15)."""

    export_id: str
    hotel_id: str
    generated_at: datetime
    subject_hash: str
    """The keyed hash the audit log knows this request by."""
    calls: list[dict[str, Any]] = Field(default_factory=list)
    """Whole call records: turns, tool calls, transfers, messages, consent, the caller's
    number (decrypted: it is the guest's own)."""
    recordings: list[ExportedRecording] = Field(default_factory=list)
    audit_entries: list[dict[str, Any]] = Field(default_factory=list)
    """Who read these calls, and when."""
    mentions: list[dict[str, Any]] = Field(default_factory=list)
    """Turns and messages of other calls of the hotel that name the guest."""
    mentions_complete: bool = True
    """``False`` when the search of the hotel's other calls ran out of time (a hotel with very
    many calls): the newest calls were searched."""
    stores_without_data: dict[str, str] = Field(default_factory=dict)
    """Stores that were checked and hold nothing about the guest, and why."""


class ExportAnswer(BaseModel):
    """The export inline, or a presigned link to it when it is large."""

    export_id: str
    calls: int
    export: PrivacyExport | None = None
    url: str | None = None
    link_expires_at: datetime | None = None


class StoreErasure(BaseModel):
    """What one store did about the guest."""

    erased: int = 0
    """Items, objects or messages deleted or anonymised."""
    detail: str = ""


class ErasureReport(BaseModel):
    """What an erasure did, per store; repeating it erases nothing more (``erased`` 0)."""

    erasure_id: str
    hotel_id: str
    erased_at: datetime
    subject_hash: str
    calls: list[str] = Field(default_factory=list)
    """Call ids whose guest data was erased (the calls' times and outcomes stay, anonymous)."""
    stores: dict[str, StoreErasure]
