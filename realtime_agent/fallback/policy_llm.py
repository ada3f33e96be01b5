"""The fallback policy as a LiveKit ``llm.LLM``: the agent cannot tell it from a model.

It answers from the chat context alone (caller messages and tool outputs), streams a text
reply or tool calls exactly as an OpenAI-compatible model would, and never touches the
network. It is the embedded default dialogue and the production degraded mode.

A transfer, a message and the end of the call become calls of the worker's tools
(``TRANSFER_TOOL``, ``MESSAGE_TOOL``, ``END_CALL_TOOL``) together with the words to say,
when the agent offers those tools; without them the words alone are spoken.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from livekit.agents import llm
from livekit.agents.llm import ChatChunk, ChoiceDelta, FunctionToolCall
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, APIConnectOptions

from hotelvoice.contracts.hotels import BookingSettings, RecordingSettings
from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.actions import (
    END_CALL_TOOL,
    MESSAGE_TOOL,
    TRANSFER_TOOL,
    Action,
    Ask,
    CallTool,
    Goodbye,
    MessageTaken,
    Transfer,
)
from realtime_agent.fallback.dialogue import Policy, Turn


class FallbackPolicyLLM(llm.LLM):
    """Deterministic slot-filling dialogue behind the ``llm.LLM`` interface."""

    def __init__(
        self,
        hotel: HotelInfo,
        today: date,
        language: str = "en",
        *,
        recording: RecordingSettings | None = None,
        booking: BookingSettings | None = None,
    ) -> None:
        super().__init__()
        self.policy = Policy(hotel, today, language, recording=recording, booking=booking)

    @property
    def model(self) -> str:
        """Shown in LiveKit metrics."""
        return "hotelvoice-fallback-policy"

    @property
    def provider(self) -> str:
        """Shown in LiveKit metrics."""
        return "hotelvoice"

    def chat(
        self,
        *,
        chat_ctx: llm.ChatContext,
        tools: list[llm.Tool] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: Any = NOT_GIVEN,
        tool_choice: Any = NOT_GIVEN,
        extra_kwargs: Any = NOT_GIVEN,
    ) -> llm.LLMStream:
        """Answer the conversation so far."""
        return _PolicyStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class _PolicyStream(llm.LLMStream):
    async def _run(self) -> None:
        assert isinstance(self._llm, FallbackPolicyLLM)
        action = self._llm.policy.respond(turns_of(self._chat_ctx))
        offered = {tool.id for tool in self._tools}
        text, call = speech_and_call(action, offered)
        if not text and call is None:
            return  # nothing to say: a transfer connected, or the call is ending
        delta = ChoiceDelta(
            role="assistant",
            content=text or None,
            tool_calls=[] if call is None else [call],
        )
        self._event_ch.send_nowait(ChatChunk(id=uuid.uuid4().hex, delta=delta))


def speech_and_call(action: Action, offered: set[str]) -> tuple[str, FunctionToolCall | None]:
    """What to say and which tool to call for one policy action."""
    name: str | None
    if isinstance(action, CallTool):
        return "", _call(action.name, action.arguments)
    if isinstance(action, Transfer):
        name, arguments = TRANSFER_TOOL, {"reason": action.reason}
    elif isinstance(action, MessageTaken):
        # The confirmation is spoken once the tool has stored the message.
        if MESSAGE_TOOL in offered:
            return "", _call(MESSAGE_TOOL, action.message.as_arguments())
        return action.text, None
    elif isinstance(action, Goodbye):
        name, arguments = END_CALL_TOOL, {}
    else:
        assert isinstance(action, Ask)
        name, arguments = None, {}
    if name is None or name not in offered:
        return action.text, None
    return action.text, _call(name, arguments)


def _call(name: str, arguments: dict[str, Any]) -> FunctionToolCall:
    return FunctionToolCall(
        name=name, arguments=json.dumps(arguments), call_id=f"fallback_{uuid.uuid4().hex[:12]}"
    )


def turns_of(chat_ctx: llm.ChatContext) -> list[Turn]:
    """Caller messages and tool outputs, in order; the agent's own words are derived."""
    turns = []
    for item in chat_ctx.items:
        if item.type == "message" and item.role == "user":
            turns.append(Turn("caller", item.text_content or ""))
        elif item.type == "function_call_output":
            turns.append(Turn("tool", item.output, tool_name=item.name))
    return turns
