"""Reporting a call's turns, tool calls and outcome to the control plane, off the hot path.

Events are queued in memory and posted in order by one background task, so the caller never
waits for the API. Each event id is derived from the call id, the kind and the index, so a
retried POST (or a redelivered SQS message behind it) can never double a record.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

from hotelvoice.contracts.call_events import (
    CallEnded,
    CallStarted,
    CallTransferred,
    ConsentRecorded,
    LanguageChanged,
    MessageTaken,
    Outcome,
    RecordingState,
    ToolCalled,
    TurnRecorded,
)
from hotelvoice.redaction import redact
from realtime_agent.service_auth import Credentials, as_auth

log = logging.getLogger("hotelvoice.agent.events")
RETRY_FOR_S = 300.0
"""How long one event is retried: an API restart or a deployment takes a few minutes."""
BACKOFF_CAP_S = 5.0


class CallEventReporter:
    """Posts one call's events to ``POST /v1/calls/{call_id}/events``."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        call_id: str,
        *,
        timeout_s: float = 3.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.call_id = call_id
        self.known_names: set[str] = set()
        self.failed = 0
        self._turns = 0
        self._tools = 0
        self._attempts = 0
        self._messages = 0
        self._languages = 0
        self._consents = 0
        self.keeps_transcript = True
        """``False`` once the caller declined recording where the hotel keeps no transcript
        then: later turns and tool calls are not posted (the consumer drops them as well)."""
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=as_auth(credentials),
            timeout=timeout_s,
            transport=transport,
        )
        self._worker: asyncio.Task[None] | None = None

    def started(self, hotel_id: str, language: str, caller_number: str | None) -> None:
        """The call was answered."""
        self._put(
            CallStarted(
                event_id=f"{self.call_id}:started",
                call_id=self.call_id,
                occurred_at=_now(),
                hotel_id=hotel_id,
                language=language,
                caller_number=caller_number,
            )
        )

    def turn(self, role: str, text: str) -> None:
        """An utterance, redacted of the names heard so far (none without a transcript)."""
        if not self.keeps_transcript:
            return
        index, self._turns = self._turns, self._turns + 1
        self._put(
            TurnRecorded(
                event_id=f"{self.call_id}:turn:{index}",
                call_id=self.call_id,
                occurred_at=_now(),
                index=index,
                role=role,  # type: ignore[arg-type]
                text=redact(text, self.known_names),
            )
        )

    def tool(
        self, name: str, arguments: dict[str, Any], result: str, *, ok: bool, duration_ms: float
    ) -> None:
        """A tool call and what it returned (none without a transcript)."""
        if not self.keeps_transcript:
            return
        index, self._tools = self._tools, self._tools + 1
        self._put(
            ToolCalled(
                event_id=f"{self.call_id}:tool:{index}",
                call_id=self.call_id,
                occurred_at=_now(),
                index=index,
                name=name,
                arguments=arguments,
                result=redact(result, self.known_names)[:8000],
                ok=ok,
                duration_ms=duration_ms,
            )
        )

    def transferred(
        self, target: str, reason: str, *, succeeded: bool, detail: str | None = None
    ) -> None:
        """A transfer attempt and how it went (a failed one is followed by a message)."""
        self._attempts += 1
        self._put(
            CallTransferred(
                event_id=f"{self.call_id}:transfer:{self._attempts}",
                call_id=self.call_id,
                occurred_at=_now(),
                target=target,
                reason=reason,  # type: ignore[arg-type]
                succeeded=succeeded,
                detail=detail[:256] if detail else None,
            )
        )

    def message(self, text: str, callback_number: str | None, language: str) -> None:
        """A message for the front desk; card numbers never reach it (redacted here too)."""
        self._messages += 1
        self._put(
            MessageTaken(
                event_id=f"{self.call_id}:message:{self._messages}",
                call_id=self.call_id,
                occurred_at=_now(),
                message=redact(text, self.known_names)[:2000] or "-",
                callback_number=callback_number,
                language=language,
            )
        )

    def language_changed(self, language: str) -> None:
        """The caller's language, as detected; the latest wins in the record."""
        self._languages += 1
        self._put(
            LanguageChanged(
                event_id=f"{self.call_id}:language:{self._languages}",
                call_id=self.call_id,
                occurred_at=_now(),
                language=language,
            )
        )

    def consent(
        self,
        recording: RecordingState,
        via: Literal["hotel_config", "speech", "key"],
        *,
        transcript_kept: bool,
    ) -> None:
        """Whether the call is recorded and its transcript kept; the latest wins.

        Sent at the start of every call (the hotel's configuration) and when the caller
        declines. A decline that keeps no transcript also stops the turns and tool calls
        posted from here on (the consumer removes those it already stored).
        """
        self._consents += 1
        self._put(
            ConsentRecorded(
                event_id=f"{self.call_id}:consent:{self._consents}",
                call_id=self.call_id,
                occurred_at=_now(),
                recording=recording,
                via=via,
                transcript_kept=transcript_kept,
            )
        )
        if not transcript_kept:
            self.keeps_transcript = False

    def ended(self, outcome: Outcome) -> None:
        """The call is over."""
        self._put(
            CallEnded(
                event_id=f"{self.call_id}:ended",
                call_id=self.call_id,
                occurred_at=_now(),
                outcome=outcome,
            )
        )

    async def aclose(self, timeout_s: float = 10.0) -> None:
        """Send what is queued (bounded wait), then release the connection."""
        if self._worker is not None:
            await self._queue.put(None)
            try:
                await asyncio.wait_for(self._worker, timeout_s)
            except TimeoutError:
                log.error(
                    "call events not delivered in time", extra={"pending": self._queue.qsize()}
                )
        await self._http.aclose()

    def _put(self, event: Any) -> None:
        if self._worker is None:
            self._worker = asyncio.create_task(self._deliver(), name="call-events")
        self._queue.put_nowait(event)

    async def _deliver(self) -> None:
        while (event := await self._queue.get()) is not None:
            await self._post(event)

    async def _post(self, event: Any) -> None:
        """Deliver one event, retrying what may pass later.

        429 (after its ``Retry-After``), 5xx and a failed connection are retried with jittered
        backoff for up to ``RETRY_FOR_S``, so an API restart or a burst over the rate limit
        loses nothing. Events stay in order: the next waits for this one. Another 4xx is
        final: retrying cannot help.
        """
        body = event.model_dump(mode="json")
        deadline = asyncio.get_running_loop().time() + RETRY_FOR_S
        attempt = 0
        while True:
            wait = min(BACKOFF_CAP_S, 0.1 * 2**attempt) * random.uniform(0.5, 1.5)
            try:
                response = await self._http.post(f"/v1/calls/{self.call_id}/events", json=body)
                if response.status_code < 400:
                    return
                if response.status_code != 429 and response.status_code < 500:
                    self.failed += 1
                    log.error(
                        "call event refused",
                        extra={"status": response.status_code, "event_type": event.type},
                    )
                    return
                wait = max(wait, _retry_after(response))
            except httpx.HTTPError:
                pass
            attempt += 1
            if asyncio.get_running_loop().time() + wait > deadline:
                break
            await asyncio.sleep(wait)
        self.failed += 1
        log.error("call event lost after retries", extra={"event_type": event.type})


def _retry_after(response: httpx.Response) -> float:
    """The server's ``Retry-After`` in seconds (capped), or 0."""
    try:
        return min(BACKOFF_CAP_S * 6, max(0.0, float(response.headers.get("retry-after", 0))))
    except ValueError:
        return 0.0


def _now() -> datetime:
    return datetime.now(UTC)
