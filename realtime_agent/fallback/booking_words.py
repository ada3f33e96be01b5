"""What a caller says while booking a room: the wish to book, the room, the e-mail, a field.

Pure parsing, like the rest of the NLU: the words are each language's ``dialogue.json``
catalog (``booking``: cues, room words, ordinals, e-mail symbols, spelling digits), read
through ``realtime_agent.booking.words``; nothing here lists a language's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hotelvoice.contracts.pms import EMAIL_PATTERN
from realtime_agent.booking import words as booking_words
from realtime_agent.language.phrases import phrase_spans
from realtime_agent.language.text import plain_words

_TYPED_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FIELDS = ("room", "name", "email", "phone", "notes")
"""The parts of a booking a caller can ask to change, in the order they are asked."""


@dataclass(frozen=True)
class BookingDraft:
    """A booking being taken: what the caller has told so far (None: not asked yet).

    ``phone`` is "" for the number the caller calls from, ``notes`` "" for no special
    requests; ``email_confirmed`` once the caller said yes to the address read back to
    them (a misheard letter is caught then, not in the final read-back); ``read_back`` is
    set while the caller has the read-back of exactly these details to say yes or no to.
    """

    room: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    email_confirmed: bool = False
    phone: str | None = None
    notes: str | None = None
    read_back: bool = False

    def arguments(self) -> dict[str, Any]:
        """The ``book_room`` arguments; the same details give the same arguments."""
        return {
            "room": self.room or "",
            "first_name": self.first_name or "",
            "last_name": self.last_name or "",
            "email": self.email or "",
            "phone": self.phone or "",
            "notes": self.notes or "",
        }


def _phrases(values: Sequence[str], language: str) -> tuple[str, ...]:
    """Catalog phrases as plain words ("e-mail" -> "e mail"), so they match caller words."""
    return tuple(" ".join(plain_words(v, language=language)) for v in values)


def _has(words: list[str], values: Sequence[str], language: str) -> bool:
    return bool(phrase_spans(words, _phrases(values, language)))


def wants_to_book(text: str, language: str) -> bool:
    """The caller asks to book what was offered: "I'll take the double", "la prendo"."""
    words = plain_words(text, language=language)
    return _has(words, booking_words(language).get("book_cues", ()), language)


def choose_room(text: str, language: str, offers: Sequence[str]) -> str | None:
    """The offered room the caller names, by its name's words or by its place in the list.

    ``offers`` are the room type names in the order the caller heard them (cheapest
    first). A word of one room's name only ("the double") chooses it; the language's room
    words map onto the names' words ("Doppelzimmer" -> "double"); ordinals and "the
    cheapest" (``choices``) count from the first offer. None when nothing or several match.
    """
    table = booking_words(language)
    words = plain_words(text, language=language)
    room_words = table.get("room_words", {}).items()
    # a word may stand for a room's name in English and in the language ("matrimoniale":
    # "double" and "doppia"), as a PMS names its rooms in either
    aliases = {
        " ".join(plain_words(k, language=language)): [v] if isinstance(v, str) else list(v)
        for k, v in room_words
    }
    said = set(words) | {name for w in words if w in aliases for name in aliases[w]}
    generic = set(_phrases(table["fields"]["room"], language)) | {"room"}
    scores = []
    for name in offers:
        name_words = set(plain_words(name, language=language)) - generic
        scores.append(len(name_words & said))
    best = max(scores, default=0)
    if best and scores.count(best) == 1:
        return offers[scores.index(best)]
    hits = [
        (span.start, -len(span), n)
        for n, choice in enumerate(table["choices"])
        for span in phrase_spans(words, _phrases(choice, language))
    ]
    if hits:
        n = min(hits)[2]
        return offers[n] if n < len(offers) else None
    return None


def named_field(text: str, language: str) -> str | None:
    """The part of the booking the caller wants to change ("the e-mail"), first named first."""
    words = plain_words(text, language=language)
    fields = booking_words(language)["fields"]
    hits = [
        (span.start, field)
        for field in FIELDS
        for span in phrase_spans(words, _phrases(fields[field], language))
    ]
    return min(hits)[1] if hits else None


def no_requests(text: str, language: str) -> bool:
    """The caller has no special requests: "no", "nothing", "that is all"."""
    words = plain_words(text, language=language)
    return " ".join(words) in _phrases(booking_words(language)["no_requests"], language)


def parse_email(text: str, language: str) -> str | None:
    """An e-mail address, typed or spoken: "peter dot collins at example dot com".

    Each language's words for "@", ".", "-" and "_" ("arobase", "punkt", "chiocciola",
    "guion bajo") become the symbols, spoken digits become digits and spelled letters join
    up ("p e t e r"). Words before the address that announce it ("my e-mail is", "yes")
    are dropped; after the top-level domain (one word, or letters spelled one by one)
    nothing more belongs to it. None unless the result is a plausible address.
    """
    typed = _TYPED_EMAIL.search(text)
    if typed is not None:
        return typed.group(0).lower().rstrip(".")
    table = booking_words(language)
    symbols: list[tuple[list[str], str]] = []
    for key, symbol in (("at", "@"), ("dot", "."), ("hyphen", "-"), ("underscore", "_")):
        symbols += [(p.split(), symbol) for p in _phrases(table[key], language)]
    symbols.sort(key=lambda s: -len(s[0]))
    digits = {
        " ".join(plain_words(d, language=language)): str(n) for n, d in enumerate(table["digits"])
    }
    words = plain_words(text, language=language)
    cues = _phrases([*table["email_cues"], *table.get("lead_fillers", ())], language)
    leading = sorted((p.split() for p in cues), key=len, reverse=True)
    stripped = True
    while stripped and words:
        stripped = False
        for cue in leading:
            if words[: len(cue)] == cue and len(words) > len(cue):
                words, stripped = words[len(cue) :], True
                break
    pieces: list[str] = []
    i = 0
    while i < len(words):
        for phrase, symbol in symbols:
            if words[i : i + len(phrase)] == phrase:
                pieces.append(symbol)
                i += len(phrase)
                break
        else:
            pieces.append(digits.get(words[i], words[i]))
            i += 1
    if pieces.count("@") != 1:
        return None
    at = pieces.index("@")
    domain = pieces[at + 1 :]
    if "." not in domain:
        return None
    last_dot = len(domain) - 1 - domain[::-1].index(".")
    tld = domain[last_dot + 1 : last_dot + 2]
    for piece in domain[last_dot + 2 :]:
        if len(tld[0]) != 1 or len(piece) != 1 or not piece.isalpha():
            break
        tld.append(piece)
    address = "".join(pieces[:at]) + "@" + "".join(domain[: last_dot + 1] + tld)
    return address if re.match(EMAIL_PATTERN, address) and ".." not in address else None
