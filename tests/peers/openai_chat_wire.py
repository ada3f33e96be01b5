"""Reply scripting and chat-completions wire encoding for ``ChatCompletionsPeer``.

Kept apart from the HTTP server so the JSON shapes (which must match what the real ``openai``
client parses) can be read and reviewed in one place. Import from ``openai_chat_peer``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TextReply:
    """Assistant text; streamed word by word so clients see several ``content`` deltas."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """One function call; ``call_id`` defaults to a generated ``call_…`` id."""

    name: str
    arguments: dict[str, Any]
    call_id: str | None = None


@dataclass(frozen=True)
class ToolCallsReply:
    """Assistant tool calls; each call's arguments stream split across >= 2 chunks.

    ``content`` is text said before the calls ("I'll connect you now"), as models send it.
    """

    calls: Sequence[ToolCall]
    content: str = ""


@dataclass(frozen=True)
class FailReply:
    """HTTP error with OpenAI's error body, to simulate an outage (5xx) or throttling (429)."""

    status: int = 500
    message: str = "The server had an error while processing your request."
    type: str = "server_error"


@dataclass(frozen=True)
class HangReply:
    """Send nothing for ``seconds`` (client timeouts), then ``then`` or drop the connection."""

    seconds: float
    then: TextReply | ToolCallsReply | FailReply | None = None


Reply = TextReply | ToolCallsReply | FailReply | HangReply
Responder = Callable[[dict[str, Any]], Reply]


def message_text(message: dict[str, Any]) -> str:
    """Text of a chat message whose ``content`` is a string or a list of content parts."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content or ""


def scripted(replies: Sequence[Reply], exhausted: Reply | None = None) -> Responder:
    """Replies consumed in order; afterwards ``exhausted`` (default: a loud 500)."""
    pending = list(replies)
    lock = threading.Lock()
    fallback = exhausted or FailReply(500, "ChatCompletionsPeer script exhausted")

    def respond(_request: dict[str, Any]) -> Reply:
        with lock:
            return pending.pop(0) if pending else fallback

    return respond


def by_last_message(
    on_user: Callable[[str], Reply], on_tool: Callable[[str], Reply] | None = None
) -> Responder:
    """Decide from the last message: a ``tool`` result goes to ``on_tool``, anything else to
    ``on_user`` (each gets that message's text). Default ``on_tool`` speaks the result back."""
    tool_handler = on_tool or (lambda result: TextReply(f"Tool result: {result}"))

    def respond(request: dict[str, Any]) -> Reply:
        last = (request.get("messages") or [{}])[-1]
        handler = tool_handler if last.get("role") == "tool" else on_user
        return handler(message_text(last))

    return respond


def tool_then_text(call: ToolCall, text_from_result: Callable[[str], str] = str) -> Responder:
    """The classic agent turn: call ``call`` for a user message, then speak the tool result."""
    return by_last_message(
        lambda _text: ToolCallsReply([call]),
        lambda result: TextReply(text_from_result(result)),
    )


def error_body(message: str, type_: str, code: str | None) -> dict[str, Any]:
    """OpenAI's error envelope, which ``openai.APIStatusError.body`` exposes to callers."""
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:24]}"


def _split(text: str, size: int) -> list[str]:
    """Split into >= 2 pieces when possible, so clients must accumulate fragments."""
    size = max(1, min(size, len(text) // 2))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _usage(body: dict[str, Any]) -> dict[str, int]:
    prompt = max(1, len(json.dumps(body.get("messages", []))) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": 5, "total_tokens": prompt + 5}


def _header(body: dict[str, Any], obj: str) -> dict[str, Any]:
    return {
        "id": _new_id("chatcmpl-"),
        "object": obj,
        "created": int(time.time()),
        "model": body.get("model", ""),
        "system_fingerprint": "fp_peer",
    }


def stream_events(
    reply: TextReply | ToolCallsReply, body: dict[str, Any], args_chunk_size: int = 8
) -> Iterator[dict[str, Any]]:
    """``chat.completion.chunk`` objects for one reply, in the order OpenAI sends them.

    With ``stream_options.include_usage`` every chunk carries ``usage: null`` and a final
    chunk with ``choices: []`` carries the usage, as the real API does.
    """
    base = _header(body, "chat.completion.chunk")
    with_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return {**base, "choices": [choice], **({"usage": None} if with_usage else {})}

    if isinstance(reply, TextReply):
        yield chunk({"role": "assistant", "content": "", "refusal": None})
        for piece in re.findall(r"\s*\S+\s*|\s+", reply.text):
            yield chunk({"content": piece})
        yield chunk({}, "stop")
    else:
        if reply.content:
            yield chunk({"role": "assistant", "content": "", "refusal": None})
            for piece in re.findall(r"\s*\S+\s*|\s+", reply.content):
                yield chunk({"content": piece})
        for index, call in enumerate(reply.calls):
            head = {
                "index": index,
                "id": call.call_id or _new_id("call_"),
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            first = {"role": "assistant", "content": None, "tool_calls": [head]}
            yield chunk(first if index == 0 and not reply.content else {"tool_calls": [head]})
            for part in _split(json.dumps(call.arguments), args_chunk_size):
                yield chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
        yield chunk({}, "tool_calls")
    if with_usage:
        yield {**base, "choices": [], "usage": _usage(body)}


def completion(reply: TextReply | ToolCallsReply, body: dict[str, Any]) -> dict[str, Any]:
    """A non-streaming ``chat.completion`` object."""
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
    if isinstance(reply, TextReply):
        message["content"], finish = reply.text, "stop"
    else:
        message["content"] = reply.content or None
        message["tool_calls"] = [
            {
                "id": c.call_id or _new_id("call_"),
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in reply.calls
        ]
        finish = "tool_calls"
    choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
    return {**_header(body, "chat.completion"), "choices": [choice], "usage": _usage(body)}
