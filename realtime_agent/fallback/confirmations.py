"""The caller's yes to a read-back: one rule for bookings, changes, cancellations, requests.

Every side effect of the receptionist waits for an explicit yes to what was read back. How
people say it varies: "yes", "passt", "ja, bitte buchen", "oui, annulez", "sì, la prenoti",
"yes, go ahead". The NLU ranks "buchen" as a booking wish and "cancel" as the cancellation
topic, both above a yes, so its intent alone misses these; and a turn that starts with yes
may still correct the read-back ("yes, but the e-mail is wrong"), which must not act.

The rule, the same wherever a read-back waits (the fallback policy's booking, change and
request read-backs, and the receptionist that marks a read-back confirmed for either
engine): a yes at the start, or the verb of the thing read back ("book it", "annulez"),
with no "no", no correction, no verb of another thing, no card digits and no other
question in the turn. The words are each language's ``confirmations.json`` catalog.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from realtime_agent.fallback.intents import InfoTopic, Intent
from realtime_agent.fallback.nlu import Understanding
from realtime_agent.language import catalog, supported
from realtime_agent.language.phrases import phrase_positions, phrase_spans
from realtime_agent.language.text import plain_words
from realtime_agent.language.vocabularies import vocabulary

Thing = Literal["book", "cancel", "change", "send"]
"""What a read-back is about: a booking, a cancellation, a change, a request passed on."""
THINGS: tuple[Thing, ...] = ("book", "cancel", "change", "send")
_YES_WITHIN = 1
"""The yes (or the thing's verb) starts among the first two words: "oh yes", "ok, book it"."""
_OWN_TOPICS: dict[Thing | None, frozenset[InfoTopic]] = {
    "cancel": frozenset({InfoTopic.CANCELLATION}),
    None: frozenset({InfoTopic.CANCELLATION}),
}
"""Topics the thing's own words raise in the NLU ("yes, cancel it" names cancellation)."""
_ELSEWHERE = (Intent.TRANSFER, Intent.MESSAGE)
"""A turn asking for these wants something else than the read-back."""


@cache
def _phrases(language: str) -> dict[str, tuple[str, ...]]:
    """The catalog's groups as plain words, so they match what ``plain_words`` makes."""
    table = catalog(supported(language), "confirmations")

    def fold(values: list[str]) -> tuple[str, ...]:
        return tuple(" ".join(plain_words(v, language=language)) for v in values)

    groups = {thing: fold(table["verbs"][thing]) for thing in (*THINGS, "any")}
    return groups | {"corrections": fold(table["corrections"])}


def accepts(u: Understanding, text: str, language: str, thing: Thing | None = None) -> bool:
    """Whether the caller's turn is an explicit yes to the read-back of ``thing``.

    Args:
        u: The NLU's reading of the turn.
        text: The turn as said.
        language: The language of the turn.
        thing: What was read back; None where the listener does not know (the
            receptionist): then the verb of any thing counts as its own.

    Returns:
        True only for a yes with nothing against it; anything else leaves the read-back
        unconfirmed (the dialogue then asks what to change, or keeps things as they are).
    """
    if u.card_details or u.intent in _ELSEWHERE:
        return False
    if set(u.topics) - _OWN_TOPICS.get(thing, frozenset()):
        return False  # "yes, and what time is breakfast?": answered first, not acted on
    groups = _phrases(language)
    own_things = THINGS if thing is None else (thing,)
    own = tuple(p for t in (*own_things, "any") for p in groups[t])
    others = tuple(p for t in THINGS if t not in own_things for p in groups[t])
    words = plain_words(text, language=language)
    own_spans = phrase_spans(words, own)
    covered = {i for span in own_spans for i in span}
    rest = ["" if i in covered else w for i, w in enumerate(words)]  # keeps positions
    intents = vocabulary(language).intent_phrases
    against = (*groups["corrections"], *intents.get("deny", ()), *others)
    if phrase_positions(rest, against):
        return False
    yes = phrase_positions(words, intents.get("affirm", ()))
    if yes and yes[0][0] <= _YES_WITHIN:
        return True
    if own_spans and own_spans[0].start <= _YES_WITHIN:
        return True  # "bitte buchen", "book it please", "go ahead"
    return u.intent is Intent.AFFIRM
