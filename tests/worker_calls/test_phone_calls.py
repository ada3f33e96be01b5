"""Whole phone calls through ``python -m realtime_agent start``, real audio both ways.

Each test dials the demo hotel through the local LiveKit peer, speaks as the caller (espeak
over WebRTC) and listens to what the agent publishes. What the agent said is checked twice:
in the audio that arrived (it spoke, for how long, how soon) and in the call record the
control plane stored from the agent's events.
"""

from __future__ import annotations

import json

from livekit.protocol import agent as agent_pb
from peers.livekit_media import SPEECH_PACKET_BYTES
from rig import WorkerRig, agent_lines

from hotelvoice.pms.demo_hotel import HOTEL
from realtime_agent.fallback.replies import Replies


def test_the_agent_answers_with_the_ai_disclosure_and_quotes_the_pms_totals(
    worker_rig: WorkerRig,
) -> None:
    call = worker_rig.dial()
    call.answered()
    greeting = call.reply(after=0.0)
    assert greeting.heard
    assert greeting.seconds > 2.0

    asked = call.say("Do you have a double room for two nights from tomorrow for two adults")
    answer = call.reply(after=asked)
    assert answer.heard, "dead air after the question"
    # while the caller spoke the agent was silent, and sent its silence as Opus DTX (the
    # peer answers usedtx=1 as LiveKit's server does): a few packets a second, not fifty
    assert greeting.ended is not None
    quiet = (greeting.ended + 0.5, asked - 0.2)
    sent = [p for p in call.call.agent.ear.packets if quiet[0] <= p.at < quiet[1]]
    assert quiet[1] - quiet[0] > 1.0
    assert len(sent) / (quiet[1] - quiet[0]) < 10, f"{len(sent)} packets of silence"
    assert any(p.size <= SPEECH_PACKET_BYTES for p in sent), "no DTX frame"
    call.hang_up()
    assert call.job_status() == agent_pb.JS_SUCCESS

    record = call.record()
    lines = agent_lines(record)
    assert lines[0] == Replies(HOTEL, "en").greeting  # the hotel, the AI disclosure, a question
    assert record["outcome"] == "abandoned"
    assert record["ended_at"] is not None
    # the totals the PMS returned are the totals the caller heard
    (quote,) = [t for t in record["tool_calls"] if t["name"] == "check_availability"]
    offers = json.loads(quote["result"])["offers"]
    assert offers
    spoken = " ".join(lines[1:])
    for offer in offers:
        assert offer["total_spoken"] in spoken, (offer, spoken)
