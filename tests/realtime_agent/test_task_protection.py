"""Scale-in protection against a local stand-in for the ECS agent's endpoint."""

from __future__ import annotations

import json

import httpx

from realtime_agent.task_protection import protect_for_call


class EcsAgent:
    """Answers like the ECS agent: ``protection`` on success, ``failure`` otherwise."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.requests: list[tuple[str, str, dict]] = []
        self.refuse = refuse

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append((request.method, request.url.path, body))
        if self.refuse:
            return httpx.Response(
                200, json={"failure": {"Arn": "arn:task", "Reason": "TASK_NOT_VALID"}}
            )
        return httpx.Response(
            200,
            json={
                "protection": {
                    "ProtectionEnabled": body["ProtectionEnabled"],
                    "ExpirationDate": "2026-11-25T12:00:00Z",
                    "TaskArn": "arn:task",
                }
            },
        )


async def test_a_call_protects_the_task_until_its_latest_end():
    agent = EcsAgent()
    ok = await protect_for_call(
        900, agent_uri="http://169.254.170.2/v4/abc", transport=httpx.MockTransport(agent)
    )
    assert ok is True
    assert agent.requests == [
        (
            "PUT",
            "/v4/abc/task-protection/v1/state",
            {"ProtectionEnabled": True, "ExpiresInMinutes": 17},
        )
    ]


async def test_outside_ecs_nothing_is_sent(monkeypatch):
    monkeypatch.delenv("ECS_AGENT_URI", raising=False)
    agent = EcsAgent()
    assert await protect_for_call(900, transport=httpx.MockTransport(agent)) is False
    assert agent.requests == []


async def test_a_refusal_or_an_unreachable_agent_never_breaks_the_call():
    refusing = EcsAgent(refuse=True)
    uri = "http://169.254.170.2/v4/abc"
    assert (
        await protect_for_call(60, agent_uri=uri, transport=httpx.MockTransport(refusing)) is False
    )

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    assert await protect_for_call(60, agent_uri=uri, transport=httpx.MockTransport(down)) is False
