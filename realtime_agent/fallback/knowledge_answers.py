"""The fallback policy's questions about the hotel beyond its nine fixed topics.

A caller turn that matches an entry of the hotel's knowledge base (question variants in the
caller's language, ``realtime_agent.knowledge``) becomes a ``get_hotel_info`` call with the
caller's question, so the tool, not the policy, picks the answer, exactly as for an LLM. A
turn that is plainly a question ("is there a casino nearby?") but matches nothing goes to
the same tool, which answers ``known: false``: the caller hears an honest "I don't know
that" and is offered the front desk (``Replies.knowledge_unknown``), never "I did not catch
that" and never an invented answer.

Two moves, at two places of ``dialogue.decide``:

- :func:`known_question` comes before the front-desk requests: "do you have a spa?" is a
  question the hotel answered, not a spa appointment to arrange. A turn with a request cue
  ("can you book me a massage?") is left to the requests.
- :func:`hotel_question` comes after the booking and request moves: a matched question, or
  an unmatched one that nothing else took.

Only turns that carry nothing else are taken: a turn with dates, guests or a code belongs
to the booking and reservation moves, and a transfer, a message or a goodbye keeps its own.
"""

from __future__ import annotations

from dataclasses import replace

from realtime_agent.fallback.actions import Action, CallTool
from realtime_agent.fallback.dialogue_state import DialogueState
from realtime_agent.fallback.nlu import Intent, Understanding
from realtime_agent.fallback.replies import Replies
from realtime_agent.knowledge import (
    KnowledgeMatch,
    asks_about_something,
    best_answer,
    is_question,
    is_request,
)

MIN_QUESTION_WORDS = 3
""""What?" or "sorry?" asks to hear the last line again; it is not a question to refer."""
_QUESTION_INTENTS = (Intent.UNKNOWN, Intent.HOTEL_INFO, Intent.GREETING)
"""A greeting may open the question ("Buongiorno, avete una palestra?")."""

Decision = tuple[DialogueState, Action]


def _only_a_question(u: Understanding, match: KnowledgeMatch | None) -> bool:
    """The turn says nothing the booking or reservation moves would take.

    Dates are part of a question that holds a whole variant ("can I check out late on
    Sunday?"); anywhere else they make a booking enquiry.
    """
    slots = (u.arrival, u.departure, u.nights, u.adults, u.children, u.confirmation_code)
    complete = match is not None and match.complete
    if complete and u.price_question and u.arrival is None and u.departure is None:
        return True  # "how much is an extra bed for our son?": the hotel's price, no stay
    return u.intent in _QUESTION_INTENTS and (complete or all(s is None for s in slots))


def _answers(match: KnowledgeMatch | None, u: Understanding) -> bool:
    """A match answers the turn.

    Over a fixed topic only when it is complete: "late check-out" is more than "check-out".
    """
    return match is not None and (not u.topics or match.complete)


def _ask(state: DialogueState, text: str) -> Decision:
    return replace(state, expecting=None), CallTool("get_hotel_info", {"question": text})


def known_question(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """A question the knowledge base answers in full, asked while the policy waits.

    A partial match ("a taxi to the airport?") leaves the front-desk requests their turn.
    """
    language = state.language
    if state.expecting is not None or not text.strip():
        return None
    if not is_question(text, language) or is_request(text, language):
        return None
    match = best_answer(replies.hotel.knowledge, text, language)
    if match is None or not match.complete or not _only_a_question(u, match):
        return None
    return _ask(state, text)


def hotel_question(
    state: DialogueState, u: Understanding, replies: Replies, text: str
) -> Decision | None:
    """Ask ``get_hotel_info`` with the caller's question, or None where this is no such turn.

    An unmatched question is referred only where the policy is not waiting for an answer
    (a bare "where?" after "what date?" is no question about the hotel).
    """
    if not text.strip():
        return None
    match = best_answer(replies.hotel.knowledge, text, state.language)
    if not _only_a_question(u, match):
        return None
    if _answers(match, u):
        return _ask(state, text)
    if match is not None or u.topics or state.expecting is not None or u.line_check:
        return None
    if len(text.split()) >= MIN_QUESTION_WORDS and asks_about_something(text, state.language):
        return _ask(state, text)
    return None
