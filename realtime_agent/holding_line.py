"""The holding line: what a caller hears while the hotel system is slow to answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from livekit.agents import RunContext
from livekit.agents.voice import SpeechHandle

from realtime_agent.call_state import CallState
from realtime_agent.fallback.replies import replies_for


class HoldingLine:
    """A short line for a caller while the hotel system is slow ("One moment, I am checking").

    A PMS lookup normally answers well within a second; a longer silence on the phone sounds
    like a dropped call. So once the session has been quiet for ``after_s`` while a tool runs
    (nobody speaking, nothing queued), the agent says the catalog's ``holding_line`` in the
    caller's language, at most once per tool call. LiveKit's filler scheduler
    (``RunContext.with_filler``) times it: the wait starts over whenever the caller speaks,
    so the line is never said over them, and a lookup that answers sooner cancels it.

    The line is spoken with ``add_to_chat_ctx=False``: it is not a reply of the dialogue, so
    neither an LLM nor the fallback policy (which replays the chat) ever reads it back. Once
    it has been heard it goes to the call record as an agent turn, and to ``heard``
    listeners (a scripted call's transcript).
    """

    def __init__(self, after_s: float) -> None:
        self.after_s = after_s
        self.heard: list[Callable[[str], None]] = []
        self._playing: SpeechHandle | None = None

    @asynccontextmanager
    async def during(self, ctx: RunContext[CallState]) -> AsyncIterator[None]:
        """Hold the caller's line while the block runs, if it runs longer than ``after_s``."""
        if self.after_s <= 0:
            yield
            return
        async with ctx.with_filler(lambda _step: self._say(ctx), delay=self.after_s):
            yield

    def _say(self, ctx: RunContext[CallState]) -> SpeechHandle | None:
        """Say the line now (the filler scheduler calls this, without awaiting anything)."""
        if self._playing is not None and not self._playing.done():
            return None  # two lookups at once: the caller hears one line, not two
        state = ctx.userdata
        text = replies_for(state.hotel, state.language).holding_line
        handle = ctx.session.say(text, add_to_chat_ctx=False)
        self._playing = handle
        handle.add_done_callback(lambda done: self._played(done, state, text))
        return handle

    def _played(self, handle: SpeechHandle, state: CallState, text: str) -> None:
        """The line was heard (not cut off): record it where the caller's words are kept."""
        if handle.interrupted:
            return
        if state.events is not None:
            state.events.turn("agent", text)
        for listener in self.heard:
            listener(text)
