"""Fuzzed agent events: none gives a 5xx, and none the API accepts is dead-lettered later.

A 202 promises the record will hold the event, so whatever passes the door must be storable
by the queue's consumer. Schemathesis generates events from the published schema (every
type); the body's call id is copied into the path, so most cases get past that check into
validation, ownership and the queue.
"""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings

from hotelvoice.auth import Role
from tests.functions.test_call_events_path import queue_depth
from tests.local_mode.test_fuzz_openapi import SCHEMA

EVENTS = SCHEMA["/v1/calls/{call_id}/events"]["POST"]


def test_no_accepted_event_is_dead_lettered(plane, api_url):
    plane.drain()
    dead_before = queue_depth(plane, "CallEventsDeadLetterQueue")
    answers: list[int] = []

    @given(case=EVENTS.as_strategy())
    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        body = case.body
        if isinstance(body, dict) and isinstance(body.get("call_id"), str):
            case.path_parameters = {**(case.path_parameters or {}), "call_id": body["call_id"]}
        token = plane.token(Role.ADMIN, subject=f"fuzz-{uuid.uuid4().hex}")
        response = case.call(base_url=api_url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, response.text
        answers.append(response.status_code)

    fuzz()
    plane.drain(timeout_s=120)
    assert answers.count(202) >= 10, answers  # the fuzzing reached the queue
    assert queue_depth(plane, "CallEventsQueue") == 0
    assert queue_depth(plane, "CallEventsDeadLetterQueue") == dead_before
