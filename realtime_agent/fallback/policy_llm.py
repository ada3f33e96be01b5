"""The fallback policy as a LiveKit ``llm.LLM``: the agent cannot tell it from a model.

It answers from the chat context alone (caller messages and tool outputs), streams a text
reply or tool calls exactly as an OpenAI-compatible model would, and never touches the
network. It is the embedded default dialogue and the production degraded mode.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from livekit.agents import llm
from livekit.agents.llm import ChatChunk, ChoiceDelta, FunctionToolCall
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, APIConnectOptions

from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.dialogue import Ask, CallTool, Goodbye, Policy, Turn


class FallbackPolicyLLM(llm.LLM):
    """Deterministic slot-filling dialogue behind the ``llm.LLM`` interface."""

    def __init__(self, hotel: HotelInfo, today: date, language: str = "en") -> None:
        super().__init__()
        self.policy = Policy(hotel, today, language)

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
        chunk_id = uuid.uuid4().hex
        if isinstance(action, CallTool):
            call = FunctionToolCall(
                name=action.name,
                arguments=json.dumps(action.arguments),
                call_id=f"fallback_{uuid.uuid4().hex[:12]}",
            )
            delta = ChoiceDelta(role="assistant", tool_calls=[call])
        else:
            assert isinstance(action, Ask | Goodbye)
            delta = ChoiceDelta(role="assistant", content=action.text)
        self._event_ch.send_nowait(ChatChunk(id=chunk_id, delta=delta))


def turns_of(chat_ctx: llm.ChatContext) -> list[Turn]:
    """Caller messages and tool outputs, in order; the agent's own words are derived."""
    turns = []
    for item in chat_ctx.items:
        if item.type == "message" and item.role == "user":
            turns.append(Turn("caller", item.text_content or ""))
        elif item.type == "function_call_output":
            turns.append(Turn("tool", item.output, tool_name=item.name))
    return turns
