"""Keyword-based intent and info-topic detection.

Without an LLM we rank cue groups from the language's phrase table. The order
encodes what a receptionist would do when several cues appear at once:

0. a wish to leave a message or be called back (``message``);
1. an explicit wish for a human (``transfer_strong``);
2. goodbye phrases ("that's all", "bye") end the call even after "no";
3. an existing reservation (``reservation_strong``: "my booking", "confirmation");
4. a new booking (``availability_strong``: "book a room", "vacancy");
5. hotel info questions (topics such as parking or breakfast), so "is breakfast
   included in the price" asks about breakfast; then a price question (``price``: "how
   much") is a booking enquiry, and it is one before topics when it carries dates or guests;
6. "front desk" / "talk to" without any other request (``transfer_weak``);
7. yes/no at the start of the utterance (``affirm`` / ``deny``): the caller is
   answering the policy's question, so "yes please book it" is AFFIRM;
8. weak booking words ("room", "nights", then "reservation");
9. greetings;
10. slot values alone: dates or guests mean AVAILABILITY, a code RESERVATION.
"""

from __future__ import annotations

from enum import StrEnum

from realtime_agent.language.phrases import has_phrase, phrase_positions
from realtime_agent.language.vocabulary import Vocabulary

_YES_NO_MAX_START = 1  # single-word "yes"/"no" must be among the first two words


class Intent(StrEnum):
    """What the caller wants from this turn."""

    AVAILABILITY = "availability"
    RESERVATION = "reservation"
    HOTEL_INFO = "hotel_info"
    TRANSFER = "transfer"
    MESSAGE = "message"
    GOODBYE = "goodbye"
    GREETING = "greeting"
    AFFIRM = "affirm"
    DENY = "deny"
    UNKNOWN = "unknown"


class InfoTopic(StrEnum):
    """Hotel facts the fallback policy can answer from the hotel profile."""

    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    BREAKFAST = "breakfast"
    PARKING = "parking"
    PETS = "pets"
    WIFI = "wifi"
    CANCELLATION = "cancellation"
    ADDRESS = "address"
    PHONE = "phone"


def detect_topics(words: list[str], vocab: Vocabulary, *, has_dates: bool) -> tuple[InfoTopic, ...]:
    """Info topics mentioned, in order of first mention.

    Args:
        words: Plain lower-case words (``text.plain_words``).
        vocab: Phrase tables.
        has_dates: Whether the utterance carries stay dates. "check in on the
            12th" then describes the stay, so check-in/out only count as a
            question next to a time cue ("when can I check in on the 12th").

    Returns:
        Distinct topics.
    """
    time_question = has_phrase(words, vocab, "time_question")
    first_seen: list[tuple[int, InfoTopic]] = []
    for topic in InfoTopic:
        hits = phrase_positions(words, vocab.topic_phrases.get(topic.value, ()))
        if not hits:
            continue
        if topic in (InfoTopic.CHECK_IN, InfoTopic.CHECK_OUT) and has_dates and not time_question:
            continue
        first_seen.append((hits[0][0], topic))
    return tuple(topic for _, topic in sorted(first_seen, key=lambda item: item[0]))


def _yes_no(words: list[str], vocab: Vocabulary) -> Intent | None:
    """AFFIRM/DENY from the earliest yes/no phrase.

    Single words only count at the start ("no, the 14th"), so "two adults, no
    kids" is not a refusal; multi-word phrases ("that is not right") count anywhere.
    """
    hits = [
        (i, phrase, intent)
        for group, intent in (("affirm", Intent.AFFIRM), ("deny", Intent.DENY))
        for i, phrase in phrase_positions(words, vocab.intent_phrases[group])
    ]
    hits = [h for h in hits if " " in h[1] or h[0] <= _YES_NO_MAX_START]
    if not hits:
        return None
    # Earliest wins; at the same index the longer phrase ("not right" over "right").
    return min(hits, key=lambda h: (h[0], -len(h[1])))[2]


def detect_intent(
    words: list[str],
    vocab: Vocabulary,
    *,
    topics: tuple[InfoTopic, ...],
    has_stay_slots: bool,
    has_code: bool,
) -> Intent:
    """Rank cue groups as described in the module docstring.

    Args:
        words: Plain lower-case words.
        vocab: Phrase tables.
        topics: Output of ``detect_topics``.
        has_stay_slots: Dates, nights or guest counts were found.
        has_code: A confirmation code was found.

    Returns:
        The single most likely intent.
    """
    ordered: tuple[tuple[str, Intent], ...] = (
        ("message", Intent.MESSAGE),
        ("transfer_strong", Intent.TRANSFER),
        ("goodbye", Intent.GOODBYE),
        ("reservation_strong", Intent.RESERVATION),
        ("availability_strong", Intent.AVAILABILITY),
    )
    for group, intent in ordered:
        if has_phrase(words, vocab, group):
            return intent
    price = has_phrase(words, vocab, "price")
    if topics and not (price and has_stay_slots):
        return Intent.HOTEL_INFO
    if price:
        return Intent.AVAILABILITY
    if has_phrase(words, vocab, "transfer_weak"):
        return Intent.TRANSFER
    if (yes_no := _yes_no(words, vocab)) is not None:
        return yes_no
    for group, intent in (
        ("availability_weak", Intent.AVAILABILITY),
        ("reservation_weak", Intent.RESERVATION),
    ):
        if has_phrase(words, vocab, group):
            return intent
    if has_phrase(words, vocab, "greeting"):
        return Intent.GREETING
    if has_stay_slots:
        return Intent.AVAILABILITY
    if has_code:
        return Intent.RESERVATION
    return Intent.UNKNOWN
