"""The transcript of a call: the stable ``hotelvoice call --json`` schema.

Schema version 1 — additive changes only; fields are documented in ``docs/call-json.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from hotelvoice.contracts.call_events import Outcome

SCHEMA_VERSION = 1


class ToolCallView(BaseModel):
    """One tool call made while answering a caller turn."""

    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    duration_ms: float


class TranscriptTurn(BaseModel):
    """One utterance; agent turns carry the tool calls made to produce them."""

    role: Literal["caller", "agent"]
    text: str
    tool_calls: list[ToolCallView] = Field(default_factory=list)
    started_ms: float = Field(description="milliseconds since the call started")
    duration_ms: float = Field(description="time to produce this turn (agent) or 0 (caller)")


class CallTranscript(BaseModel):
    """A whole call as ``hotelvoice call --json`` prints it."""

    schema_version: int = SCHEMA_VERSION
    call_id: str
    hotel_id: str
    language: str
    dialogue_engine: str
    turns: list[TranscriptTurn]
    outcome: Outcome

    def render(self) -> str:
        """Human-readable transcript for the terminal."""
        lines = []
        for turn in self.turns:
            who = "Caller" if turn.role == "caller" else "Agent "
            for call in turn.tool_calls:
                args = ", ".join(f"{k}={v}" for k, v in call.arguments.items())
                lines.append(f"        ↳ {call.name}({args}) {call.duration_ms:.1f} ms")
            lines.append(f"{who}: {turn.text}")
        return "\n".join(lines)
