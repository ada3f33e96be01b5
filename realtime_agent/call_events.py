"""Reporting a call's turns, tool calls and outcome to the control plane, off the hot path.

Events go into a bounded in-memory outbox and one background task per call sends them, in
order, as batches (``POST /v1/calls/{call_id}/events/batch``): whatever is waiting once a
short linger has passed, or at once when the agent's turn ends or the call does. The
caller never waits for the API. What the API cannot take now (429, 408, 5xx, no
connection) stays at the head of the outbox and is sent again with jittered exponential
backoff, honouring ``Retry-After``, for as long as the call lasts: an API restart or a
deployment loses nothing. Each event id is derived from the call id, the kind and the
index, so a batch sent twice (or an SQS message delivered twice behind it) never doubles
a record.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import random
import uuid
from collections import Counter, deque
from datetime import UTC, date, datetime
from typing import Any, Literal

import httpx

from hotelvoice.contracts.call_event_batch import MAX_BATCH_EVENTS
from hotelvoice.contracts.call_events import (
    BookingAction,
    BookingMade,
    CallEnded,
    CallStarted,
    CallTransferred,
    ConsentRecorded,
    FrontDeskCategory,
    FrontDeskRequest,
    LanguageChanged,
    MessageTaken,
    Outcome,
    RecordingState,
    ToolCalled,
    TurnRecorded,
)
from hotelvoice.contracts.pms import Money
from hotelvoice.redaction import redact
from realtime_agent.http_client import ControlPlaneHttp
from realtime_agent.service_auth import Credentials, as_auth

log = logging.getLogger("hotelvoice.agent.events")

OUTBOX_LIMIT = 1000
"""Events one call may hold while the API cannot take them. A busy call makes about 20 a
minute (a turn each way every few seconds, a tool call or two), so this is some 50 minutes
of API outage, and 5 minutes even at an implausible one event every 0.3 s. At the bound new
events are dropped (counted in ``failed`` and logged as a count): the queued ones, from
``call.started`` on, are kept, and the caller's audio is never held up. A full outbox is
a few hundred kilobytes of ordinary turns, about 10 MB at worst (every event a long tool
result)."""
LINGER_S = 0.25
"""How long the sender waits for more events before it sends what it has: the tool calls
and the reply that follow a caller's words within that time share their request."""
MAX_BATCH_BYTES = 56 * 1024
"""A batch's body stays under the API's 64 KiB limit (``Settings.max_body_bytes``)."""
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 5.0
RETRY_AFTER_CAP_S = 60.0
"""The rate limiter's window: it never asks for more."""
CLOSE_TIMEOUT_S = 10.0
RETRIED = frozenset({408, 429})
"""The 4xx answers that may pass later; any other 4xx is final for its batch."""
_ENVELOPE = (b'{"events":[', b"]}")


def _short(key: str) -> str:
    """An idempotency key as an id part: within the id's 128 characters and its alphabet."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class CallEventReporter:
    """One call's events, sent in order through a bounded outbox (see the module's note).

    ``max_batch`` and ``linger_s`` exist for the bench's one-event-per-request baseline;
    ``transport`` (tests) gives the reporter a client of its own instead of the process's.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        call_id: str,
        *,
        timeout_s: float = 3.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_batch: int = MAX_BATCH_EVENTS,
        linger_s: float = LINGER_S,
        outbox_limit: int = OUTBOX_LIMIT,
    ) -> None:
        self.call_id = call_id
        self.session = uuid.uuid4().hex[:8]
        """This agent session's part of the numbered ids: a call answered again after a
        reconnect (a re-dispatched job) numbers its turns from 0 again, and its events must
        not pass for the first session's redelivered ones."""
        self.known_names: set[str] = set()
        self.failed = 0
        """Events that will never reach the API: refused, dropped at the bound, or still
        waiting when :meth:`aclose` gave up."""
        self._counts: Counter[str] = Counter()
        """Events of each numbered kind so far: their ids never repeat within the call."""
        self.keeps_transcript = True
        """``False`` once the caller declined recording where the hotel keeps no transcript
        then: later turns and tool calls are not posted (the consumer drops them as well)."""
        self._url = f"{base_url.rstrip('/')}/v1/calls/{call_id}/events/batch"
        self._auth = as_auth(credentials)
        self._timeout_s = timeout_s
        self._http = ControlPlaneHttp(transport)
        self._max_batch = max(1, min(max_batch, MAX_BATCH_EVENTS))
        self._linger_s = linger_s
        self._limit = outbox_limit
        self._outbox: deque[tuple[str, bytes]] = deque()
        """``(event type, JSON body)`` in call order; removed once the API has them."""
        self._waiting = asyncio.Event()
        self._send_now = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._closing = False
        self._closed = False
        self._overflowed = 0

    def _next(self, kind: str, *, first: int = 1) -> tuple[int, dict[str, Any]]:
        """The number and the id, call and time of the call's next ``kind`` event.

        Ids are ``<call>:<kind>:<session>:<n>``, stable across redelivery within the session
        and distinct across sessions: turns and tool calls count from 0 (their index within
        the session), everything else from 1.
        """
        number = self._counts[kind] + first
        self._counts[kind] += 1
        return number, self._once(f"{kind}:{self.session}:{number}")

    def _once(self, name: str) -> dict[str, Any]:
        """Id, call and time of an event the call has once (``started``, ``ended``)."""
        event_id = f"{self.call_id}:{name}"
        return {"event_id": event_id, "call_id": self.call_id, "occurred_at": _now()}

    @property
    def pending(self) -> int:
        """Events in the outbox, not yet accepted by the API."""
        return len(self._outbox)

    def started(self, hotel_id: str, language: str, caller_number: str | None) -> None:
        """The call was answered."""
        self._put(
            CallStarted(
                **self._once("started"),
                hotel_id=hotel_id,
                language=language,
                caller_number=caller_number,
            )
        )

    def turn(self, role: str, text: str) -> None:
        """An utterance, redacted of the names heard so far (none without a transcript).

        The agent's utterance ends a turn of the conversation: what is waiting goes now.
        """
        if not self.keeps_transcript:
            return
        index, head = self._next("turn", first=0)
        self._put(
            TurnRecorded(
                **head,
                index=index,
                role=role,  # type: ignore[arg-type]
                text=redact(text, self.known_names),
            ),
            send_now=role == "agent",
        )

    def tool(
        self, name: str, arguments: dict[str, Any], result: str, *, ok: bool, duration_ms: float
    ) -> None:
        """A tool call and what it returned (none without a transcript)."""
        if not self.keeps_transcript:
            return
        index, head = self._next("tool", first=0)
        self._put(
            ToolCalled(
                **head,
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
        self._put(
            CallTransferred(
                **self._next("transfer")[1],
                target=target,
                reason=reason,  # type: ignore[arg-type]
                succeeded=succeeded,
                detail=detail[:256] if detail else None,
            )
        )

    def message(self, text: str, callback_number: str | None, language: str) -> None:
        """A message for the front desk; card numbers never reach it (redacted here too)."""
        self._put(
            MessageTaken(
                **self._next("message")[1],
                message=redact(text, self.known_names)[:2000] or "-",
                callback_number=callback_number,
                language=language,
            )
        )

    def booking(
        self,
        action: BookingAction,
        confirmation_code: str,
        *,
        total: Money | None = None,
        arrival: date | None = None,
        departure: date | None = None,
        room_type: str | None = None,
        pms_ids: dict[str, str] | None = None,
        confirmation_sent: bool | None = None,
        key: str | None = None,
    ) -> None:
        """A booking made, changed or cancelled in the PMS (``total``: the fee, cancelled).

        No name: the code finds the call for a privacy request, the PMS has the guest.
        ``key`` is the write's idempotency key: the same write reported again after a
        reconnect (the PMS answered the first one) keeps its event id, so it is stored once.
        """
        head = self._once(f"booking:{_short(key)}") if key else self._next("booking")[1]
        self._put(
            BookingMade(
                **head,
                action=action,
                confirmation_code=confirmation_code,
                total_minor=total.amount_minor if total else None,
                currency=total.currency if total else None,
                arrival=arrival,
                departure=departure,
                room_type=room_type,
                pms_ids=pms_ids or {},
                confirmation_sent=confirmation_sent,
            )
        )

    def front_desk_request(
        self,
        category: FrontDeskCategory,
        details: str,
        *,
        callback_number: str | None,
        language: str,
        confirmation_code: str | None = None,
        key: str | None = None,
    ) -> str:
        """A request for the front desk; returns the reference the caller is told.

        The event id, and the reference derived from it, come from ``key`` (one per call
        and request: ``front_desk_requests.request_key``), so the same request recorded
        again after a reconnect, whose reporter counts from one again, is the same event
        and the store keeps it once; without a key, from the request's index in this
        reporter (a retried batch still keeps its number).
        """
        head = self._once(f"request:{key}") if key else self._next("request")[1]
        digest = hashlib.sha256(head["event_id"].encode()).hexdigest()
        reference = f"{int(digest, 16) % 10**6:06d}"
        self._put(
            FrontDeskRequest(
                **head,
                category=category,
                details=redact(details, self.known_names)[:2000] or "-",
                reference=reference,
                callback_number=callback_number,
                confirmation_code=confirmation_code,
                language=language,
            )
        )
        return reference

    def language_changed(self, language: str) -> None:
        """The caller's language, as detected; the latest wins in the record."""
        self._put(
            LanguageChanged(
                **self._next("language")[1],
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
        self._put(
            ConsentRecorded(
                **self._next("consent")[1],
                recording=recording,
                via=via,
                transcript_kept=transcript_kept,
            )
        )
        if not transcript_kept:
            self.keeps_transcript = False

    def ended(self, outcome: Outcome) -> None:
        """The call is over: what is waiting goes now."""
        self._put(
            CallEnded(
                **self._once("ended"),
                outcome=outcome,
            ),
            send_now=True,
        )

    async def aclose(self, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
        """Send what is waiting, for at most ``timeout_s``; then let the connection go.

        Whatever is still in the outbox at the deadline is lost (counted and logged). The
        process's shared client stays open for the next call.
        """
        self._closing = True
        if self._sender is not None:
            self._waiting.set()
            self._send_now.set()
            try:
                await asyncio.wait_for(self._sender, timeout_s)
            except TimeoutError:
                lost = len(self._outbox)
                self._outbox.clear()
                self.failed += lost
                log.error(
                    "call events not delivered before the close deadline", extra={"lost": lost}
                )
        self._closed = True
        if self._overflowed:
            log.error(
                "call events dropped: the outbox was full",
                extra={"dropped": self._overflowed, "outbox_limit": self._limit},
            )
        await self._http.aclose()

    def _put(self, event: Any, *, send_now: bool = False) -> None:
        if self._closed:
            self.failed += 1
            log.warning("call event after the reporter closed", extra={"event_type": event.type})
            return
        if len(self._outbox) >= self._limit:
            self.failed += 1
            self._overflowed += 1
            if self._overflowed == 1:  # once a call; the total is logged at close
                log.warning(
                    "call events outbox full: new events are dropped",
                    extra={"outbox_limit": self._limit},
                )
            return
        self._outbox.append((event.type, event.model_dump_json().encode()))
        self._waiting.set()
        if send_now:
            self._send_now.set()
        if self._sender is None:
            self._sender = asyncio.create_task(
                self._send_loop(), name=f"call-events-{self.call_id}"
            )

    async def _send_loop(self) -> None:
        """Linger, send everything waiting batch by batch, sleep until more comes."""
        while True:
            await self._waiting.wait()
            if self._linger_s > 0 and not self._closing and not self._send_now.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._send_now.wait(), self._linger_s)
            self._send_now.clear()
            while self._outbox:
                await self._send_head()
            self._waiting.clear()
            self._send_now.clear()
            if self._closing:
                return

    async def _send_head(self) -> None:
        """Deliver the batch at the head of the outbox, or drop it if the API refuses it.

        The batch is taken afresh on every attempt, so events that arrived during an outage
        ride along with the retry (up to the batch limits), and leave in order.
        """
        attempt = 0
        while True:
            count, body, types = self._head()
            response = await self._post(body)
            if response is not None and response.status_code < 300:
                self._forget(count)
                return
            if response is not None and response.status_code < 500 and not _retried(response):
                self._forget(count)
                self.failed += count
                log.error(
                    "call events refused",
                    extra={"status": response.status_code, "events": count, "event_types": types},
                )
                return
            if attempt == 0:  # once a batch: an outage of minutes is not a page of logs
                log.warning(
                    "call events not accepted yet; retrying",
                    extra={"status": response.status_code if response else None, "events": count},
                )
            wait = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** min(attempt, 10))
            wait *= random.uniform(0.5, 1.5)
            if response is not None and response.status_code == 429:
                wait = max(wait, _retry_after(response))
            attempt += 1
            await _pause(wait)

    def _head(self) -> tuple[int, bytes, list[str]]:
        """The oldest events that fit one request: count, body, and their types for logs."""
        bodies: list[bytes] = []
        types: set[str] = set()
        size = sum(map(len, _ENVELOPE))
        for kind, body in itertools.islice(self._outbox, self._max_batch):
            if bodies and size + len(body) + 1 > MAX_BATCH_BYTES:
                break
            bodies.append(body)
            types.add(kind)
            size += len(body) + 1
        return len(bodies), _ENVELOPE[0] + b",".join(bodies) + _ENVELOPE[1], sorted(types)

    def _forget(self, count: int) -> None:
        for _ in range(count):
            self._outbox.popleft()

    async def _post(self, body: bytes) -> httpx.Response | None:
        """One attempt; ``None`` when no answer came (connection, timeout, token fetch)."""
        try:
            return await self._http.client.post(
                self._url,
                content=body,
                headers={"content-type": "application/json"},
                auth=self._auth,
                timeout=self._timeout_s,
            )
        except Exception as exc:  # retried whatever it was: only an answer is final
            log.debug("call events not sent", extra={"error": type(exc).__name__})
            return None


def _retried(response: httpx.Response) -> bool:
    """Whether a 4xx may pass later (408, 429); any other is final for its batch."""
    return response.status_code in RETRIED


def _retry_after(response: httpx.Response) -> float:
    """The server's ``Retry-After`` in seconds (capped), or 0."""
    try:
        return min(RETRY_AFTER_CAP_S, max(0.0, float(response.headers.get("retry-after", 0))))
    except ValueError:
        return 0.0


async def _pause(seconds: float) -> None:
    """Wait before the next attempt (one place, so tests can see the waits asked for)."""
    await asyncio.sleep(seconds)


def _now() -> datetime:
    return datetime.now(UTC)
