"""A local HTTP peer that speaks the OpenAI / Azure OpenAI chat-completions wire protocol.

Tests drive the *real* ``openai`` client (directly or through livekit-plugins-openai) against
this server instead of patching our code, so request building, SSE parsing and tool-call
argument accumulation are exercised exactly as in production. See README.md.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .openai_chat_wire import (
    FailReply,
    HangReply,
    Reply,
    Responder,
    TextReply,
    ToolCall,
    ToolCallsReply,
    by_last_message,
    completion,
    error_body,
    message_text,
    scripted,
    stream_events,
    tool_then_text,
)

__all__ = [
    "ChatCompletionsPeer",
    "FailReply",
    "HangReply",
    "RecordedRequest",
    "Reply",
    "Responder",
    "TextReply",
    "ToolCall",
    "ToolCallsReply",
    "by_last_message",
    "message_text",
    "scripted",
    "tool_then_text",
]

_AZURE_CHAT = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)/chat/completions$")


@dataclass(frozen=True)
class RecordedRequest:
    """What a client sent; ``headers`` keys are lower-cased, ``json`` is the parsed body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    deployment: str | None = None  # Azure route only

    @property
    def is_chat(self) -> bool:
        return self.method == "POST" and self.path.endswith("/chat/completions")


@dataclass
class _State:
    responder: Responder
    requests: list[RecordedRequest] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    sockets: set[socket.socket] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ChatCompletionsPeer:
    """OpenAI-compatible chat-completions server on ``host`` (ephemeral port, own thread).

    ``host`` is loopback unless a client in a network namespace must reach it (the worker
    rig binds it to the namespace's host address).

    Routes: ``POST /v1/chat/completions`` (``Authorization: Bearer <api_key>``),
    ``POST /openai/deployments/{deployment}/chat/completions?api-version=…`` (``api-key`` or
    Bearer), ``GET …/models`` (livekit's prewarm). Streams SSE when the body has ``stream``.
    """

    def __init__(
        self,
        script: Responder | Sequence[Reply] | None = None,
        *,
        api_key: str = "test-key",
        args_chunk_size: int = 8,
        host: str = "127.0.0.1",
    ) -> None:
        self.api_key = api_key
        self.host = host
        self.args_chunk_size = args_chunk_size
        self._state = _State(self._coerce(script))
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @staticmethod
    def _coerce(script: Responder | Sequence[Reply] | None) -> Responder:
        if script is None:
            return lambda _request: TextReply("OK")
        return script if callable(script) else scripted(script)

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> ChatCompletionsPeer:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.05,),
            name="chat-completions-peer",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake hung handlers and cut kept-alive client connections."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        with self._state.lock:
            for sock in list(self._state.sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> ChatCompletionsPeer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- addresses & inspection ---------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def azure_endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.azure_endpoint}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (rejected ones included), oldest first."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Only ``…/chat/completions`` POSTs (not ``/models`` prewarms)."""
        return [r for r in self.requests if r.is_chat]

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by the responder (each was answered with a 500)."""
        with self._state.lock:
            return list(self._state.errors)

    # -- runtime behaviour switches -----------------------------------------------------------
    def set_script(self, script: Responder | Sequence[Reply] | None) -> None:
        """Replace the responder for every later request (``None``: always ``TextReply("OK")``)."""
        with self._state.lock:
            self._state.responder = self._coerce(script)

    def fail_from_now(self, status: int = 500, message: str | None = None) -> None:
        """Every later chat request fails (simulated LLM outage mid-call)."""
        reply = FailReply(status, message) if message else FailReply(status)
        self.set_script(lambda _request: reply)

    def hang_from_now(self, seconds: float) -> None:
        """Every later chat request stalls, then drops (simulated LLM timeout)."""
        self.set_script(lambda _request: HangReply(seconds))

    def _reply_for(self, body: dict[str, Any]) -> Reply:
        with self._state.lock:
            responder = self._state.responder
        try:
            return responder(body)
        except Exception as exc:
            with self._state.lock:
                self._state.errors.append(exc)
            return FailReply(500, f"responder raised {exc!r}")


def _make_handler(peer: ChatCompletionsPeer) -> type[BaseHTTPRequestHandler]:
    """Request handler bound to ``peer``: HTTP/1.1 keep-alive, chunked SSE, like the real API."""
    state = peer._state

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def setup(self) -> None:
            super().setup()
            with state.lock:
                state.sockets.add(self.connection)

        def finish(self) -> None:
            with state.lock:
                state.sockets.discard(self.connection)
            super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep pytest output clean

        def do_GET(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        def _dispatch(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            azure = _AZURE_CHAT.match(url.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = dict(parse_qsl(url.query))
            deployment = azure["deployment"] if azure else None
            record = RecordedRequest(self.command, url.path, query, headers, body, deployment)
            with state.lock:
                state.requests.append(record)

            bad = "invalid_request_error"
            key_ok = headers.get("authorization") == f"Bearer {peer.api_key}" or (
                url.path.startswith("/openai/") and headers.get("api-key") == peer.api_key
            )
            if not key_ok:
                self._json(401, error_body("Incorrect API key provided.", bad, "invalid_api_key"))
            elif self.command == "GET" and url.path.endswith("/models"):
                model = {"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "peer"}
                self._json(200, {"object": "list", "data": [model]})
            elif azure and "api-version" not in query:
                self._json(400, error_body("Missing api-version.", bad, "missing_api_version"))
            elif not (record.is_chat and (azure or url.path == "/v1/chat/completions")):
                self._json(404, error_body(f"Unknown path {url.path}", bad, "not_found"))
            elif not isinstance(body, dict):
                self._json(400, error_body("Body must be a JSON object.", bad, None))
            else:
                self._answer(peer._reply_for(body), body)

        def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
            if isinstance(reply, HangReply):
                if peer._stopping.wait(reply.seconds) or reply.then is None:
                    self.close_connection = True  # drop without a response
                    return
                reply = reply.then
            if isinstance(reply, FailReply):
                self._json(reply.status, error_body(reply.message, reply.type, None))
                return
            if not body.get("stream"):
                self._json(200, completion(reply, body))
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream; charset=utf-8")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                for event in stream_events(reply, body, peer.args_chunk_size):
                    self._chunk(f"data: {json.dumps(event)}\n\n".encode())
                self._chunk(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up mid-stream

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
