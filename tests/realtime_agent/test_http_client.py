"""One HTTP client per process and event loop; each worker a principal of its own."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import httpx
import jwt

from hotelvoice.auth import Role
from hotelvoice.contracts.call_events import Outcome
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent import http_client
from realtime_agent.call_events import CallEventReporter
from realtime_agent.http_client import aclose_control_plane_client, control_plane_client
from realtime_agent.pms_client import PmsClient
from realtime_agent.service_auth import AGENT_SUBJECT, LocalServiceToken, worker_subject


class CountingClients:
    """Counts ``httpx.AsyncClient`` objects built while it is entered."""

    def __init__(self, monkeypatch) -> None:
        self.built = 0
        original = httpx.AsyncClient.__init__

        def counting(client, *args, **kwargs) -> None:
            self.built += 1
            original(client, *args, **kwargs)

        monkeypatch.setattr(httpx.AsyncClient, "__init__", counting)


async def test_calls_in_one_loop_share_one_client_that_no_call_closes(plane, api_url, monkeypatch):
    await aclose_control_plane_client()  # a client left by an earlier test of this loop
    clients = CountingClients(monkeypatch)
    sent: list[str] = []
    monkeypatch.setattr(
        httpx.AsyncClient, "send", counting_sends(httpx.AsyncClient.send, sent), raising=True
    )
    token = plane.token(Role.SERVICE, subject="shared-client-test")
    for n in range(3):  # three calls, each with its PMS client and its reporter
        pms = PmsClient(api_url, token)
        events = CallEventReporter(api_url, token, f"shared-client-{n}")
        hotel = await pms.hotel_info(DEMO_HOTEL_ID)
        events.started(hotel.hotel_id, "en", None)
        events.ended(Outcome.COMPLETED)
        await events.aclose()
        await pms.aclose()
        assert events.failed == 0
    assert clients.built == 1, "one client for every call of the loop"
    assert sorted(set(sent)) == [
        "/v1/calls/shared-client-0/events/batch",
        "/v1/calls/shared-client-1/events/batch",
        "/v1/calls/shared-client-2/events/batch",
        f"/v1/hotels/{DEMO_HOTEL_ID}/info",
    ]
    shared = control_plane_client()
    assert not shared.is_closed, "closing a call's clients leaves the shared one open"
    assert clients.built == 1


def counting_sends(send, sent: list[str]):
    async def counting(client, request, **kwargs):
        sent.append(request.url.path)
        return await send(client, request, **kwargs)

    return counting


def test_each_loop_gets_its_own_client_closed_when_the_loop_ends():
    async def grab() -> httpx.AsyncClient:
        return control_plane_client()

    first = asyncio.run(grab())
    second = asyncio.run(grab())
    assert first is not second
    assert first.is_closed
    assert second.is_closed
    assert not any(client in (first, second) for client, _ in http_client._clients.values())


async def test_a_passed_transport_gets_a_client_of_its_own():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"hotel_id": "h", "name": "n"})

    shared = control_plane_client()
    pms = PmsClient("http://pms.test/", "t", transport=httpx.MockTransport(handler))
    assert pms._http.client is not shared
    await pms._call("GET", "/v1/hotels/h/info")
    await pms.aclose()
    assert seen == ["http://pms.test/v1/hotels/h/info"]
    assert pms._http.client.is_closed
    assert not shared.is_closed


def test_a_local_service_token_names_its_worker(monkeypatch):
    monkeypatch.setenv("HOTELVOICE_LOCAL_MODE", "true")  # signed with the local key
    get_settings.cache_clear()
    token = asyncio.run(LocalServiceToken().token())
    subject = jwt.decode(token, options={"verify_signature": False})["sub"]
    assert subject == f"{AGENT_SUBJECT}/{socket.gethostname()}-{os.getpid()}" == worker_subject()
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "from realtime_agent.service_auth import worker_subject; print(worker_subject())",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert other.startswith(f"{AGENT_SUBJECT}/")
    assert other != subject, "another worker process is another principal"
    named = asyncio.run(LocalServiceToken("realtime-agent").token())
    assert jwt.decode(named, options={"verify_signature": False})["sub"] == "realtime-agent"
