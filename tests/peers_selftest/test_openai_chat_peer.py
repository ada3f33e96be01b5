"""Self-test of ChatCompletionsPeer against the real openai and livekit-plugins-openai clients.

If these pass, the peer is faithful enough that agent tests can trust it instead of mocks.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from livekit.agents import APIConnectOptions, APIStatusError
from livekit.agents.llm import ChatContext, FunctionCall, FunctionCallOutput, function_tool
from livekit.plugins import openai as lk_openai

try:
    from peers.openai_chat_peer import (
        ChatCompletionsPeer,
        FailReply,
        HangReply,
        TextReply,
        ToolCall,
        ToolCallsReply,
        by_last_message,
        tool_then_text,
    )
except ModuleNotFoundError:  # run without a tests/conftest.py that puts tests/ on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from peers.openai_chat_peer import (
        ChatCompletionsPeer,
        FailReply,
        HangReply,
        TextReply,
        ToolCall,
        ToolCallsReply,
        by_last_message,
        tool_then_text,
    )

ARGS = {"check_in": "2025-07-01", "check_out": "2025-07-03", "guests": 2}
AVAILABILITY = ToolCall("check_availability", ARGS, call_id="call_avail_1")
USER = [{"role": "user", "content": "Do you have a room on July 1st?"}]
NO_RETRY = APIConnectOptions(max_retry=0, timeout=5)


@function_tool
async def check_availability(check_in: str, check_out: str, guests: int) -> str:
    """Check room availability for the given dates.

    Args:
        check_in: Arrival date, ISO format.
        check_out: Departure date, ISO format.
        guests: Number of guests.
    """
    return "2 rooms free"


_OPENED: list[openai.OpenAI] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close every sync client a test opened, so no socket is left to the garbage collector."""
    yield
    while _OPENED:
        _OPENED.pop().close()


def _client(peer: ChatCompletionsPeer, api_key: str = "test-key") -> openai.OpenAI:
    _OPENED.append(openai.OpenAI(base_url=peer.base_url, api_key=api_key, max_retries=0))
    return _OPENED[-1]


def _azure(peer: ChatCompletionsPeer, api_key: str = "test-key") -> openai.AzureOpenAI:
    client = openai.AzureOpenAI(
        azure_endpoint=peer.azure_endpoint, api_version="2024-10-21", api_key=api_key, max_retries=0
    )
    _OPENED.append(client)
    return client


def test_openai_streaming_text() -> None:
    with ChatCompletionsPeer([TextReply("Welcome to the Grand Hotel.")]) as peer:
        stream = _client(peer).chat.completions.create(
            model="gpt-4o-mini",
            messages=USER,
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    pieces = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert "".join(pieces) == "Welcome to the Grand Hotel."
    assert len(pieces) >= 2
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None


def test_openai_streaming_tool_calls_are_reassembled() -> None:
    second = ToolCall("get_hotel_info", {"topic": "parking"})
    with ChatCompletionsPeer([ToolCallsReply([AVAILABILITY, second])]) as peer:
        stream = _client(peer).chat.completions.create(
            model="gpt-4o-mini", messages=USER, stream=True
        )
        calls: dict[int, dict[str, str]] = {}
        fragments: dict[int, int] = {}
        finish = None
        for chunk in stream:
            choice = chunk.choices[0]
            finish = choice.finish_reason or finish
            for delta in choice.delta.tool_calls or []:
                call = calls.setdefault(delta.index, {"id": "", "name": "", "args": ""})
                call["id"] += delta.id or ""
                call["name"] += (delta.function and delta.function.name) or ""
                if delta.function and delta.function.arguments:
                    call["args"] += delta.function.arguments
                    fragments[delta.index] = fragments.get(delta.index, 0) + 1
    assert finish == "tool_calls"
    assert calls[0]["id"] == "call_avail_1"
    assert calls[0]["name"] == "check_availability"
    assert json.loads(calls[0]["args"]) == ARGS
    assert calls[1]["name"] == "get_hotel_info"
    assert calls[1]["id"].startswith("call_")
    assert json.loads(calls[1]["args"]) == {"topic": "parking"}
    assert min(fragments.values()) >= 2


def test_openai_non_streaming_text_and_tool_call() -> None:
    with ChatCompletionsPeer([ToolCallsReply([AVAILABILITY]), TextReply("Yes.")]) as peer:
        client = _client(peer)
        first = client.chat.completions.create(model="gpt-4o-mini", messages=USER)
        second = client.chat.completions.create(model="gpt-4o-mini", messages=USER)
    call = first.choices[0].message.tool_calls[0]
    assert first.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "check_availability"
    assert json.loads(call.function.arguments) == ARGS
    assert second.choices[0].message.content == "Yes."
    assert second.usage is not None
    assert second.usage.total_tokens > 0


def test_azure_client_uses_deployment_route_and_api_key() -> None:
    with ChatCompletionsPeer([TextReply("Hello from Azure.")] * 2) as peer:
        client = _azure(peer)
        reply = client.chat.completions.create(model="hotel-gpt", messages=USER)
        streamed = client.chat.completions.create(model="hotel-gpt", messages=USER, stream=True)
        text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert reply.choices[0].message.content == text == "Hello from Azure."
    request = peer.chat_requests[0]
    assert request.path == "/openai/deployments/hotel-gpt/chat/completions"
    assert request.deployment == "hotel-gpt"
    assert request.query["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "test-key"
    assert "authorization" not in request.headers


def test_wrong_or_missing_key_gets_401_with_openai_error_shape() -> None:
    with ChatCompletionsPeer() as peer:
        with pytest.raises(openai.AuthenticationError) as plain:
            _client(peer, api_key="wrong").chat.completions.create(model="m", messages=USER)
        with pytest.raises(openai.AuthenticationError):
            _azure(peer, api_key="wrong").chat.completions.create(model="m", messages=USER)
        raw = httpx.post(f"{peer.base_url}/chat/completions", json={"messages": USER})
    assert plain.value.status_code == 401
    assert raw.status_code == 401
    assert set(raw.json()["error"]) >= {"message", "type", "code"}
    assert raw.json()["error"]["code"] == "invalid_api_key"
    assert len(peer.requests) == 3


def test_fail_hang_and_script_helpers() -> None:
    with ChatCompletionsPeer([FailReply(429, "slow down", "rate_limit_exceeded")]) as peer:
        client = _client(peer)
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(model="m", messages=USER)
        with pytest.raises(openai.InternalServerError, match="script exhausted"):
            client.chat.completions.create(model="m", messages=USER)
        peer.set_script([HangReply(0.3, then=TextReply("late"))])
        late = client.chat.completions.create(model="m", messages=USER)
        assert late.choices[0].message.content == "late"
        peer.hang_from_now(5)
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(model="m", messages=USER, timeout=0.3)
        assert time.monotonic() - started < 3
        peer.set_script(lambda _request: 1 / 0)  # type: ignore[arg-type, return-value]
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="m", messages=USER)
        assert isinstance(peer.errors[0], ZeroDivisionError)


def test_by_last_message_speaks_tool_result() -> None:
    respond = by_last_message(lambda text: TextReply(f"You said: {text}"))
    tool_msg = {"role": "tool", "tool_call_id": "c1", "content": "2 rooms free"}
    parts = {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    assert respond({"messages": [tool_msg]}) == TextReply("Tool result: 2 rooms free")
    assert respond({"messages": [parts]}) == TextReply("You said: hi")


async def test_livekit_plugin_streams_tool_call() -> None:
    with ChatCompletionsPeer([ToolCallsReply([AVAILABILITY])]) as peer:
        llm = lk_openai.LLM(model="gpt-4o-mini", base_url=peer.base_url, api_key="test-key")
        ctx = ChatContext.empty()
        ctx.add_message(role="system", content="You are a hotel receptionist.")
        ctx.add_message(role="user", content="Any room on July 1st for two?")
        calls, usage = [], None
        async with llm.chat(
            chat_ctx=ctx, tools=[check_availability], conn_options=NO_RETRY
        ) as stream:
            async for chunk in stream:
                if chunk.delta:
                    calls.extend(chunk.delta.tool_calls)
                usage = chunk.usage or usage
        await llm.aclose()
    assert [(c.name, c.call_id) for c in calls] == [("check_availability", "call_avail_1")]
    assert json.loads(calls[0].arguments) == ARGS
    assert usage is not None
    assert usage.total_tokens > 0
    body = peer.chat_requests[0].json
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert [t["function"]["name"] for t in body["tools"]] == ["check_availability"]
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert peer.chat_requests[0].headers["authorization"] == "Bearer test-key"


async def test_livekit_sends_tool_result_back_and_gets_text() -> None:
    script = tool_then_text(AVAILABILITY, lambda result: f"Good news: {result}.")
    with ChatCompletionsPeer(script) as peer:
        llm = lk_openai.LLM.with_azure(
            model="gpt-4o-mini",
            azure_endpoint=peer.azure_endpoint,
            azure_deployment="hotel-gpt",
            api_version="2024-10-21",
            api_key="test-key",
        )
        ctx = ChatContext.empty()
        ctx.add_message(role="user", content="Any room on July 1st?")
        ctx.insert(
            FunctionCall(
                call_id="call_avail_1", name="check_availability", arguments=json.dumps(ARGS)
            )
        )
        ctx.insert(
            FunctionCallOutput(
                call_id="call_avail_1",
                name="check_availability",
                output="2 rooms free",
                is_error=False,
            )
        )
        reply = await llm.chat(
            chat_ctx=ctx, tools=[check_availability], conn_options=NO_RETRY
        ).collect()
        await llm.aclose()
    assert reply.text == "Good news: 2 rooms free."
    request = peer.chat_requests[0]
    assert request.deployment == "hotel-gpt"
    assert request.headers["api-key"] == "test-key"
    tool_msg = request.json["messages"][-1]
    assert tool_msg["role"] == "tool"
    assert tool_msg["tool_call_id"] == "call_avail_1"
    assistant = request.json["messages"][-2]
    assert assistant["tool_calls"][0]["function"]["name"] == "check_availability"


async def test_livekit_sees_outage_switched_on_mid_call() -> None:
    with ChatCompletionsPeer([TextReply("First answer.")]) as peer:
        llm = lk_openai.LLM(model="gpt-4o-mini", base_url=peer.base_url, api_key="test-key")
        ctx = ChatContext.empty()
        ctx.add_message(role="user", content="Hello?")
        first = await llm.chat(chat_ctx=ctx, conn_options=NO_RETRY).collect()
        peer.fail_from_now(status=503)
        with pytest.raises(APIStatusError) as outage:
            await llm.chat(chat_ctx=ctx, conn_options=NO_RETRY).collect()
        await llm.aclose()
    assert first.text == "First answer."
    assert outage.value.status_code == 503
    assert len(peer.chat_requests) == 2
