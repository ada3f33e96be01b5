"""A scripted "LLM" for the OpenAI-wire peer: it answers as the fallback policy would.

Plugged into ``ChatCompletionsPeer`` as its responder, it turns the scenario suite into an
LLM-path suite: requests go through livekit-plugins-openai and the real ``openai`` client over
HTTP, tool calls come back as streamed OpenAI deltas and are executed by our tools, and the
"model" decides deterministically, so the same scenario checks apply.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.fallback.dialogue import Policy, Turn
from realtime_agent.fallback.policy_llm import speech_and_call

from .openai_chat_wire import Reply, Responder, TextReply, ToolCall, ToolCallsReply, message_text


def policy_model(hotel: HotelInfo, today: date, language: str = "en") -> Responder:
    """A responder that reads the request's messages and replies like the policy."""
    policy = Policy(hotel, today, language)

    def respond(request: dict[str, Any]) -> Reply:
        action = policy.respond(turns_of_messages(request.get("messages") or []))
        offered = {tool["function"]["name"] for tool in request.get("tools") or []}
        text, call = speech_and_call(action, offered)
        if call is None:
            return TextReply(text)
        return ToolCallsReply([ToolCall(call.name, json.loads(call.arguments))], content=text)

    return respond


def turns_of_messages(messages: list[dict[str, Any]]) -> list[Turn]:
    """Caller messages and tool results of an OpenAI request, as the policy reads a chat."""
    names: dict[str, str] = {}
    turns = []
    for message in messages:
        for call in message.get("tool_calls") or []:
            names[call["id"]] = call["function"]["name"]
        if message.get("role") == "user":
            turns.append(Turn("caller", message_text(message)))
        elif message.get("role") == "tool":
            name = names.get(message.get("tool_call_id", ""), "")
            turns.append(Turn("tool", message_text(message), tool_name=name))
    return turns
