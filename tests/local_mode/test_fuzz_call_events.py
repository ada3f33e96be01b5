"""Fuzzed agent events and LiveKit webhooks: no 5xx, and nothing accepted is dead-lettered.

A 202 promises the record will hold the event, so whatever passes the door must be storable
by the queue's consumer. Schemathesis generates events from the published schema (every
type); the body's call id is copied into the path, so most cases get past that check into
validation, ownership and the queue.
"""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotelvoice.auth import Role
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from tests.functions.test_call_events_path import queue_depth, signed_webhook, webhook
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
    assert answers.count(202) >= 5, answers  # the fuzzing reached the queue
    assert queue_depth(plane, "CallEventsQueue") == 0
    assert queue_depth(plane, "CallEventsDeadLetterQueue") == dead_before


# What a SIP trunk puts in a participant's attributes comes from the caller's INVITE: the
# caller chooses it. Anything LiveKit signs must be stored or refused, never a 5xx.
_text = st.text(max_size=300) | st.sampled_from(["", "+4917612345678", DEMO_DIALLED_NUMBER])
_attributes = st.dictionaries(
    st.sampled_from(["sip.phoneNumber", "sip.trunkPhoneNumber", "sip.callID", "x"]) | st.text(),
    _text,
    max_size=5,
)
_ids = st.sampled_from(["RM_fuzz1", "RM_fuzz2"]) | st.text(max_size=140)
WEBHOOKS = st.fixed_dictionaries(
    {
        "event": st.sampled_from(
            ["room_started", "room_finished", "participant_joined", "participant_left", "x"]
        ),
        "id": st.text(min_size=1, max_size=40) | st.just("EV_fuzz"),
        "createdAt": st.integers(-(2**63), 2**63 - 1).map(str),
        "room": st.fixed_dictionaries({"sid": _ids, "name": _text}),
        "participant": st.fixed_dictionaries(
            {
                "kind": st.sampled_from(["SIP", "AGENT", "STANDARD", "EGRESS"]),
                "identity": _text,
                "attributes": _attributes,
            }
        ),
    }
)


def test_no_signed_webhook_gives_a_5xx_or_is_dead_lettered(plane):
    plane.drain()
    dead_before = queue_depth(plane, "CallEventsDeadLetterQueue")
    answers: list[int] = []

    @given(body=WEBHOOKS, created=st.integers(0, 3600))
    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(body, created) -> None:
        if created % 2:  # half of them at a time a call could have
            body = {**body, "createdAt": str(1_790_000_000 + created)}
        raw = json.dumps(body)
        response = webhook(plane, raw, signed_webhook(raw))
        assert response.status < 500, response.body
        answers.append(response.status)

    fuzz()
    plane.drain(timeout_s=120)
    assert answers.count(200) >= 10, answers
    assert queue_depth(plane, "CallEventsQueue") == 0
    assert queue_depth(plane, "CallEventsDeadLetterQueue") == dead_before
