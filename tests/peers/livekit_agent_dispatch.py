"""LiveKit's worker protocol (``/agent``) in the local peer: registration and job dispatch.

As livekit-agents' ``AgentServer`` speaks it (``livekit/agents/worker.py``): the worker opens a
websocket with an ``agent`` grant and sends ``register``; the server answers
``RegisterWorkerResponse``. For each room the server sends an ``AvailabilityRequest``; a worker
that takes the job answers ``available`` with the identity it will join as, and the server then
sends a ``JobAssignment`` with a join token for that identity. The worker reports
``UpdateJobStatus`` (JS_RUNNING … JS_SUCCESS / JS_FAILED) and pings.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web
from livekit.api import AccessToken, VideoGrants
from livekit.protocol import agent, models

from peers.livekit_signal import SERVER_INFO, new_sid

ASSIGNMENT_TIMEOUT_S = 10.0
CAPACITY_WAIT_S = 60.0
"""How long a job waits for a worker with room for it. A worker reports ``WS_FULL`` while the
machine's CPU is above its load threshold (0.7 in production mode), which a shared CI
machine reaches between calls (each ended job is replaced by a fresh process loading its
models), and a full worker declines what it is offered; LiveKit keeps offering the job until
a worker takes it."""


@dataclass
class DispatchedJob:
    """A job the peer handed a worker, and every status it reported, in order."""

    job: agent.Job
    worker_id: str
    statuses: list[int] = field(default_factory=list)
    error: str = ""
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def status(self) -> int:
        return self.statuses[-1] if self.statuses else agent.JS_PENDING


@dataclass
class RegisteredWorker:
    worker_id: str
    agent_name: str
    ws: web.WebSocketResponse
    load: float = 0.0
    status: int = agent.WS_AVAILABLE
    availability: dict[str, asyncio.Future[agent.AvailabilityResponse]] = field(
        default_factory=dict
    )


class AgentDispatch:
    """The workers registered with the peer and the jobs given to them."""

    def __init__(self, api_key: str, api_secret: str) -> None:
        self._api_key = api_key
        self._api_secret = api_secret
        self.workers: dict[str, RegisteredWorker] = {}
        self.jobs: dict[str, DispatchedJob] = {}
        self.registered = asyncio.Condition()

    async def serve(self, ws: web.WebSocketResponse) -> None:
        """One worker connection, from ``register`` until it goes."""
        first = await ws.receive()
        if first.type != WSMsgType.BINARY:
            return
        hello = agent.WorkerMessage.FromString(first.data)
        if not hello.HasField("register"):
            await ws.close(code=1008, message=b"expected register")
            return
        worker = RegisteredWorker(new_sid("AW"), hello.register.agent_name, ws)
        await ws.send_bytes(
            agent.ServerMessage(
                register=agent.RegisterWorkerResponse(
                    worker_id=worker.worker_id,
                    server_info=SERVER_INFO,
                )
            ).SerializeToString()
        )
        async with self.registered:
            self.workers[worker.worker_id] = worker
            self.registered.notify_all()
        try:
            async for message in ws:
                if message.type == WSMsgType.BINARY:
                    await self._handle(worker, agent.WorkerMessage.FromString(message.data))
        finally:
            self.workers.pop(worker.worker_id, None)
            for pending in worker.availability.values():
                if not pending.done():
                    pending.cancel()

    async def _handle(self, worker: RegisteredWorker, message: agent.WorkerMessage) -> None:
        which = message.WhichOneof("message")
        if which == "availability":
            pending = worker.availability.pop(message.availability.job_id, None)
            if pending is not None and not pending.done():
                pending.set_result(message.availability)
        elif which == "update_job":
            update = message.update_job
            job = self.jobs.get(update.job_id)
            if job is not None:
                job.statuses.append(update.status)
                job.error = update.error or job.error
                if update.status in (agent.JS_SUCCESS, agent.JS_FAILED, agent.JS_CANCELLED):
                    job.done.set()
        elif which == "update_worker":
            worker.load = message.update_worker.load
            if message.update_worker.HasField("status"):
                worker.status = message.update_worker.status
        elif which == "ping":
            now = int(time.time() * 1000)
            pong = agent.WorkerPong(last_timestamp=message.ping.timestamp, timestamp=now)
            await worker.ws.send_bytes(agent.ServerMessage(pong=pong).SerializeToString())

    async def wait_for_worker(self, agent_name: str, timeout_s: float) -> RegisteredWorker:
        async with asyncio.timeout(timeout_s), self.registered:
            await self.registered.wait_for(lambda: self._worker_for(agent_name) is not None)
            worker = self._worker_for(agent_name)
            assert worker is not None
            return worker

    def _worker_for(self, agent_name: str) -> RegisteredWorker | None:
        """The least loaded available worker registered under ``agent_name``."""
        candidates = [
            w
            for w in self.workers.values()
            if w.agent_name == agent_name and w.status == agent.WS_AVAILABLE
        ]
        return min(candidates, key=lambda w: w.load, default=None)

    async def dispatch(self, room: models.Room, agent_name: str) -> DispatchedJob:
        """Offer the room to a worker and assign it the job (explicit dispatch)."""
        job = agent.Job(
            id=new_sid("AJ"),
            dispatch_id=new_sid("AD"),
            type=agent.JT_ROOM,
            room=room,
            agent_name=agent_name,
            state=agent.JobState(status=agent.JS_PENDING, updated_at=int(time.time() * 1000)),
        )
        deadline = time.monotonic() + CAPACITY_WAIT_S
        while True:
            worker = self._worker_for(agent_name)
            if worker is not None:
                accepted = await self._offer(worker, job)
                if accepted.available:
                    break
            if time.monotonic() > deadline:
                raise LookupError(f"no worker registered as {agent_name!r} took the job")
            await asyncio.sleep(0.2)  # a worker declines above its load threshold too
        token = (
            AccessToken(self._api_key, self._api_secret)
            .with_identity(accepted.participant_identity)
            .with_name(accepted.participant_name)
            .with_metadata(accepted.participant_metadata)
            .with_attributes(dict(accepted.participant_attributes))
            .with_kind("agent")
            .with_grants(
                VideoGrants(
                    room_join=True,
                    room=room.name,
                    agent=True,
                    can_publish=True,
                    can_subscribe=True,
                    can_publish_data=True,
                    can_update_own_metadata=True,
                )
            )
            .to_jwt()
        )
        dispatched = DispatchedJob(job, worker.worker_id)
        self.jobs[job.id] = dispatched
        await worker.ws.send_bytes(
            agent.ServerMessage(
                assignment=agent.JobAssignment(job=job, token=token)
            ).SerializeToString()
        )
        return dispatched

    async def _offer(self, worker: RegisteredWorker, job: agent.Job) -> agent.AvailabilityResponse:
        """Ask ``worker`` whether it takes ``job``: its answer."""
        answer: asyncio.Future[agent.AvailabilityResponse] = (
            asyncio.get_running_loop().create_future()
        )
        worker.availability[job.id] = answer
        await worker.ws.send_bytes(
            agent.ServerMessage(availability=agent.AvailabilityRequest(job=job)).SerializeToString()
        )
        async with asyncio.timeout(ASSIGNMENT_TIMEOUT_S):
            return await answer
