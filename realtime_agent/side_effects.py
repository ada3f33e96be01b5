"""The guard against a side effect done twice in one caller turn, whatever the engine says.

A side-effecting tool (a booking, a cancellation, a change, a request for the front desk)
acts in two calls: the first reads the details back and does nothing, the second acts, and
only on the caller's explicit yes to exactly that read-back in their latest turn (each tool
checks ``CallState.booking_confirmed`` against its read-back's fingerprint; the
receptionist sets it from the caller's words, never from the engine's).

An LLM may still call the same tool twice in one turn, in parallel or one after the other,
or after a retry of its own. :class:`TurnLedger` makes the second call of the same tool with
the same arguments in the same caller turn answer with the first call's result without
running it again, so a read-back is not repeated and an action is not done twice. A new
caller turn starts a new ledger: the next yes may act again (a booking's idempotency key
still books once per call and offer).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any, Final

SIDE_EFFECT_TOOLS: Final = frozenset(
    {"book_room", "cancel_reservation", "change_reservation", "request_front_desk"}
)
"""Tools that change something outside the call (the PMS, the front desk's queue)."""

_Key = tuple[str, str]


def _key(name: str, arguments: dict[str, Any]) -> _Key:
    material = json.dumps(arguments, sort_keys=True, default=str)
    return name, hashlib.sha256(material.encode()).hexdigest()[:16]


class TurnLedger:
    """What the side-effecting tools answered in the caller's current turn."""

    def __init__(self) -> None:
        """An empty ledger at turn 0 (the greeting: no caller words yet)."""
        self.turn = 0
        self._results: dict[_Key, str] = {}
        self._locks: dict[_Key, asyncio.Lock] = {}

    def new_turn(self) -> None:
        """The caller spoke: what the tools did before is no longer "this turn"."""
        self.turn += 1
        self._results.clear()
        self._locks.clear()

    def repeated(self, name: str, arguments: dict[str, Any]) -> bool:
        """This exact call already ran in this turn."""
        return _key(name, arguments) in self._results

    async def run_once(
        self, name: str, arguments: dict[str, Any], body: Callable[[], Awaitable[str]]
    ) -> str:
        """Run ``body`` unless the same call ran in this turn; then answer as it did.

        Calls in parallel wait for the first one. A call that failed (raised) is not
        remembered: the engine may try again after fixing what the error said.
        """
        key = _key(name, arguments)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._results:
                return self._results[key]
            result = await body()
            self._results[key] = result
            return result
