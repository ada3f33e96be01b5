"""How every tool runs, for either dialogue engine: timed, held, guarded and recorded.

What a slow or failing hotel system sounds like is decided here once: a holding line while
a lookup takes long, and, when the PMS is down, rate-limited or refuses, a result that makes
either engine apologise and offer the front desk or a message.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from livekit.agents import RunContext, ToolError

from hotelvoice.errors import (
    HotelVoiceError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RefusedByPms,
)
from realtime_agent.call_state import CallState, ToolInvocation
from realtime_agent.holding_line import HoldingLine
from realtime_agent.side_effects import SIDE_EFFECT_TOOLS
from realtime_agent.tool_results import pms_refused_result, pms_unavailable_result


async def run_tool(
    ctx: RunContext[CallState],
    holding_line: HoldingLine,
    name: str,
    arguments: dict[str, Any],
    body: Callable[[], Awaitable[str]],
) -> str:
    """Run a tool for either dialogue engine: time it, hold the line, record it.

    Domain errors become a ``ToolError`` whose text both engines act on: the PMS's own
    reason for a refusal (relayed to the caller), and for a hotel system that is down,
    rate-limited or too slow the ``pms_unavailable`` result, after which the caller is
    offered the front desk or a message. A 404 is not an outage: nothing matched.
    """
    state = ctx.userdata
    started = time.perf_counter()
    try:
        async with holding_line.during(ctx):
            if name in SIDE_EFFECT_TOOLS:  # the same call twice in one turn acts once
                result = await state.side_effects.run_once(name, arguments, body)
            else:
                result = await body()
    except ToolError as exc:
        error = exc
    except RefusedByPms as exc:
        error = ToolError(pms_refused_result(exc.message))
    except InvalidRequest as exc:
        error = ToolError(f"The hotel system refused the request: {exc.message}")
    except NotFound as exc:
        error = ToolError(f"The hotel system has nothing that matches: {exc.message}")
    except RateLimited as exc:
        error = ToolError(pms_unavailable_result(exc.retry_after_s))
    except HotelVoiceError:
        error = ToolError(pms_unavailable_result())
    else:
        _record(state, name, arguments, result, started, ok=True)
        return result
    _record(state, name, arguments, str(error), started, ok=False)
    raise error


def _record(
    state: CallState, name: str, arguments: dict[str, Any], result: str, started: float, *, ok: bool
) -> None:
    elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
    state.record_tool(ToolInvocation(name, arguments, result, ok, elapsed_ms))
