"""ECS task scale-in protection: a worker with calls on it is not stopped by autoscaling.

The ECS agent inside every task serves ``PUT $ECS_AGENT_URI/task-protection/v1/state``.
Each call asks for protection until its own latest possible end (the hotel's maximum call
duration, plus a margin), so protection lasts while any call on the task could still be
running, without counting calls across LiveKit's job processes. Outside ECS (no
``ECS_AGENT_URI``) there is nothing to protect and nothing is sent.
"""

from __future__ import annotations

import logging
import math
import os

import httpx

log = logging.getLogger("hotelvoice.agent.protection")
MARGIN_MINUTES = 2
MAX_MINUTES = 2880
"""ECS refuses longer protection (48 h)."""


async def protect_for_call(
    max_call_s: int,
    *,
    agent_uri: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> bool:
    """Ask ECS not to scale this task in before the call can have ended; never raises."""
    agent_uri = agent_uri if agent_uri is not None else os.environ.get("ECS_AGENT_URI", "")
    if not agent_uri:
        return False
    minutes = min(MAX_MINUTES, math.ceil(max_call_s / 60) + MARGIN_MINUTES)
    body = {"ProtectionEnabled": True, "ExpiresInMinutes": minutes}
    try:
        async with httpx.AsyncClient(timeout=2.0, transport=transport) as http:
            response = await http.put(f"{agent_uri}/task-protection/v1/state", json=body)
        answer = response.json()
    except (httpx.HTTPError, ValueError):
        log.warning("task protection request failed; the call goes on unprotected")
        return False
    if response.status_code != 200 or "failure" in answer:
        log.warning("task protection refused", extra={"answer": answer})
        return False
    return bool(answer.get("protection", {}).get("ProtectionEnabled"))
