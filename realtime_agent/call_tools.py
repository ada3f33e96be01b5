"""The line tools every receptionist offers: transfer to a person, take a message, hang up.

They are free functions (``livekit.agents.function_tool``) added to the ``Receptionist``'s
tools, so an LLM and the fallback policy call them the same way. Each waits until the words
spoken with it have been heard before it acts, so a caller hears "I'll connect you now"
before the line clicks. Their names are the ones the fallback policy emits
(``realtime_agent.fallback.actions``).
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from livekit.agents import RunContext, function_tool

from hotelvoice.contracts.call_events import Outcome
from realtime_agent.call_state import CallState, ToolInvocation

TransferReason = Literal[
    "caller_request", "not_verified", "not_understood", "booking_guarantee", "pms_unavailable"
]


@function_tool
async def transfer_to_front_desk(  # noqa: D417 - ctx is not a model argument
    ctx: RunContext[CallState], reason: TransferReason = "caller_request"
) -> str:
    """Connect the caller to a person at the front desk (a cold transfer).

    Say a short line first ("I'll connect you to our front desk now"). If the result says
    the transfer did not connect, apologise and offer to take a message.

    Args:
        reason: caller_request when they asked for a person; not_verified after failed
            booking checks; not_understood after repeated misunderstanding;
            booking_guarantee after a booking the front desk guarantees (book_room says
            so); pms_unavailable when the hotel system could not answer.
    """
    started = time.perf_counter()
    control = ctx.userdata.control
    await ctx.wait_for_playout()
    connected = control is not None and await control.transfer(reason)
    result = {
        "connected": connected,
        "directive": "The caller is now with the front desk; say nothing more."
        if connected
        else "Apologise that nobody could answer and offer to take a message.",
    }
    return _recorded(ctx.userdata, "transfer_to_front_desk", {"reason": reason}, result, started)


@function_tool
async def take_message(  # noqa: D417 - ctx is not a model argument
    ctx: RunContext[CallState], message: str, callback_number: str | None = None
) -> str:
    """Leave a message or a callback request for the front desk.

    Never put card numbers into the message.

    Args:
        message: The caller's message in their words.
        callback_number: The number to call back; omit to use the number they are calling from.
    """
    started = time.perf_counter()
    control = ctx.userdata.control
    if control is None:
        result = {"stored": False, "directive": "Give the front desk's number."}
    else:
        control.take_message(message, callback_number)
        result = {"stored": True, "directive": "Confirm the message reaches the front desk."}
    arguments = {"message": message, "callback_number": callback_number}
    return _recorded(ctx.userdata, "take_message", arguments, result, started)


@function_tool
async def end_call(ctx: RunContext[CallState]) -> str:
    """End the call after saying goodbye, when the caller has nothing else."""
    started = time.perf_counter()
    control = ctx.userdata.control
    await ctx.wait_for_playout()
    if control is not None:
        await control.end_call(Outcome.COMPLETED)
    return _recorded(ctx.userdata, "end_call", {}, {"ended": control is not None}, started)


def _recorded(
    state: CallState, name: str, arguments: dict[str, Any], result: dict[str, Any], started: float
) -> str:
    """Line tools show up in the transcript and the call record like the PMS tools."""
    text = json.dumps(result)
    state.record_tool(
        ToolInvocation(name, arguments, text, ok=True, duration_ms=_ms_since(started))
    )
    return text


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


LINE_TOOLS = [transfer_to_front_desk, take_message, end_call]
