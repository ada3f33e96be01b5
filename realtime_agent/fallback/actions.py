"""What the fallback policy asks the agent to do next.

Each action carries the words to say. The SIP worker acts on the type: ``Transfer``
means "say this, then transfer the call to the front desk", ``MessageTaken`` hands over a
structured message to store, ``Goodbye`` ends the call. Behind the ``llm.LLM`` interface
(``policy_llm``) the same actions become calls of the tools named here, when the agent
offers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from realtime_agent.fallback.nlu import Slot

TRANSFER_TOOL = "transfer_to_front_desk"
"""Tool the worker offers to transfer the call; its output ``{"connected": false}`` makes
the policy apologise and offer to take a message."""
MESSAGE_TOOL = "take_message"
"""Tool the worker offers to store a caller message (arguments: ``CallerMessage`` fields)."""
END_CALL_TOOL = "end_call"
"""Tool the worker offers to hang up after the goodbye line."""


@dataclass(frozen=True)
class Ask:
    """Say ``text`` and expect the caller to fill ``slot`` (or ``None``: anything)."""

    text: str
    slot: Slot | None = None


@dataclass(frozen=True)
class CallTool:
    """Call one tool with these arguments."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Goodbye:
    """Say goodbye; the call ends."""

    text: str


@dataclass(frozen=True)
class Transfer:
    """Say ``text``, then transfer the caller to the front desk.

    ``reason`` is for the call record: "caller_request" (asked for a person or pressed 0),
    "not_verified" (accepted the offer after three failed lookups) or "not_understood"
    (accepted the offer after repeated misunderstanding).
    """

    text: str
    reason: str = "caller_request"


@dataclass(frozen=True)
class CallerMessage:
    """A message for the front desk, as the worker stores it.

    Attributes:
        text: What the caller said, verbatim (never card details: those turns are refused).
        callback_number: Digits with an optional leading "+", or None for the caller id.
        language: The language the caller spoke, so staff can call back in it.
    """

    text: str
    callback_number: str | None
    language: str

    def as_arguments(self) -> dict[str, Any]:
        """The tool-call arguments of ``MESSAGE_TOOL`` (the worker knows the language)."""
        return {"message": self.text, "callback_number": self.callback_number}


@dataclass(frozen=True)
class MessageTaken:
    """Store ``message``, then say ``text`` (the confirmation) and carry on."""

    text: str
    message: CallerMessage


Action = Ask | CallTool | Goodbye | Transfer | MessageTaken
