"""Transfer and hang-up through the real ``livekit-api`` client against a local LiveKit peer.

The peer verifies each request's JWT and grants as livekit-server does, so a passing test
means the real client sent what the real server needs.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from livekit.api import AccessToken, LiveKitAPI, ServerError, SIPGrants, VideoGrants
from livekit.api.version import __version__ as livekit_api_version
from livekit.protocol.egress import (
    EgressStatus,
    EncodedFileType,
    RoomCompositeEgressRequest,
    StopEgressRequest,
)
from livekit.protocol.room import DeleteRoomRequest, RoomParticipantIdentity
from livekit.protocol.sip import (
    SIPStatus,
    SIPTransferReason,
    SIPTransferStatus,
    TransferSIPParticipantRequest,
    TransferSIPParticipantResponse,
)
from peers.livekit_server_peer import EGRESS_NOT_CONNECTED, LiveKitServerPeer, RecordedTwirpRequest
from peers.refused_port import refused_port

from hotelvoice.settings import Settings
from realtime_agent.room_actions import (
    RecordingTarget,
    RoomActionFailed,
    RoomActions,
    recording_path,
    transfer_uri,
)

API_KEY = "APIhotelvoicetest"
API_SECRET = "peer-secret-that-is-long-enough-for-hs256-0123456789"
ROOM = "call-_+4915112345678_abc"
CALLER = "sip_+4915112345678"
FRONT_DESK = "tel:+49301234567"


@pytest.fixture
def peer() -> Iterator[LiveKitServerPeer]:
    with LiveKitServerPeer(api_key=API_KEY, api_secret=API_SECRET) as server:
        server.add_sip_caller(ROOM, CALLER, call_id="SCL_test")
        server.add_participant(ROOM, "agent-1", {})
        yield server


@pytest.fixture
async def actions(peer: LiveKitServerPeer) -> AsyncIterator[RoomActions]:
    async with RoomActions(peer.url, API_KEY, API_SECRET, request_timeout_s=2.0) as room_actions:
        yield room_actions


def only_request(peer: LiveKitServerPeer) -> RecordedTwirpRequest:
    assert len(peer.requests) == 1, peer.requests
    return peer.requests[0]


async def test_transfer_sends_the_call_and_a_token_scoped_to_the_room(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    transfer_id = await actions.transfer_caller(ROOM, CALLER, FRONT_DESK)

    seen = only_request(peer)
    assert seen.path == "/twirp/livekit.SIP/TransferSIPParticipant"
    assert seen.status == 200
    assert isinstance(seen.message, TransferSIPParticipantRequest)
    assert seen.message.room_name == ROOM
    assert seen.message.participant_identity == CALLER
    assert seen.message.transfer_to == FRONT_DESK
    assert seen.message.play_dialtone is False
    assert seen.message.ringing_timeout.seconds == 20
    assert seen.claims is not None
    assert seen.claims.video is not None
    assert seen.claims.sip is not None
    assert seen.claims.video.room_admin is True
    assert seen.claims.video.room == ROOM
    assert seen.claims.video.room_create is None
    assert (seen.claims.sip.call, seen.claims.sip.admin) == (True, False)
    assert seen.headers["content-type"] == "application/protobuf"
    assert seen.headers["user-agent"] == f"livekit-server-sdk-python/{livekit_api_version}"
    assert transfer_id.startswith("STR_")
    assert peer.participants(ROOM) == ["agent-1"]  # the caller left with the transfer


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("+49301234567", "tel:+49301234567"),
        (" +49 (30) 123-4567 ", "tel:+49301234567"),
        ("sip:frontdesk@pbx.example.com", "sip:frontdesk@pbx.example.com"),
        ("TEL:+49301234567", "TEL:+49301234567"),
    ],
)
async def test_transfer_target_is_sent_as_a_uri(
    peer: LiveKitServerPeer, actions: RoomActions, given: str, sent: str
) -> None:
    await actions.transfer_caller(ROOM, CALLER, given, play_dialtone=True)

    message = only_request(peer).message
    assert isinstance(message, TransferSIPParticipantRequest)
    assert (message.transfer_to, message.play_dialtone) == (sent, True)


@pytest.mark.parametrize("bad", ["030 1234567", "frontdesk", "+0301234567", "", "+49"])
async def test_transfer_to_a_non_number_fails_before_any_request(
    peer: LiveKitServerPeer, actions: RoomActions, bad: str
) -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        transfer_uri(bad)
    with pytest.raises(RoomActionFailed) as failed:
        await actions.transfer_caller(ROOM, CALLER, bad)

    assert failed.value.twirp_code == "invalid_argument"
    assert peer.requests == []


async def test_busy_front_desk_keeps_the_caller_and_reports_sip_486(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    peer.fail_next_transfer()

    with pytest.raises(RoomActionFailed) as failed:
        await actions.transfer_caller(ROOM, CALLER, FRONT_DESK)

    error = failed.value
    assert (error.action, error.twirp_code, error.http_status) == (
        "transfer",
        "resource_exhausted",
        429,
    )
    assert error.sip_status_code == 486
    assert "Busy Here" in error.message
    assert only_request(peer).status == 429
    assert CALLER in (peer.participants(ROOM) or [])
    # The next attempt is answered normally again.
    await actions.transfer_caller(ROOM, CALLER, FRONT_DESK)
    assert peer.participants(ROOM) == ["agent-1"]


async def test_transfer_reported_failed_in_a_200_is_a_failure(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    peer.answer_next_transfer(
        TransferSIPParticipantResponse(
            transfer_id="STR_x",
            status=SIPTransferStatus.STS_TRANSFER_FAILED,
            reason=SIPTransferReason.STR_RINGING_TIMEOUT,
            sip_status=SIPStatus(code=480, status="Temporarily Unavailable"),
        )
    )

    with pytest.raises(RoomActionFailed) as failed:
        await actions.transfer_caller(ROOM, CALLER, FRONT_DESK)

    assert failed.value.transfer_reason == "STR_RINGING_TIMEOUT"
    assert failed.value.sip_status_code == 480
    assert failed.value.twirp_code is None


async def test_transfer_of_someone_not_in_the_room_is_not_found(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    with pytest.raises(RoomActionFailed) as failed:
        await actions.transfer_caller(ROOM, "sip_+4917000000000", FRONT_DESK)

    assert (failed.value.twirp_code, failed.value.http_status) == ("not_found", 404)


async def test_transfer_of_a_non_sip_participant_is_refused(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    with pytest.raises(RoomActionFailed) as failed:
        await actions.transfer_caller(ROOM, "agent-1", FRONT_DESK)

    assert failed.value.twirp_code == "invalid_argument"
    assert "no SIP session" in failed.value.message


async def test_end_call_deletes_the_room_with_a_room_create_token(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    await actions.end_call(ROOM)

    seen = only_request(peer)
    assert seen.path == "/twirp/livekit.RoomService/DeleteRoom"
    assert seen.status == 200
    assert isinstance(seen.message, DeleteRoomRequest)
    assert seen.message.room == ROOM
    assert seen.claims is not None
    assert seen.claims.video is not None
    assert seen.claims.video.room_create is True
    assert seen.claims.video.room_admin is None
    assert not (seen.claims.sip and seen.claims.sip.call)
    assert peer.participants(ROOM) is None


async def test_end_call_of_a_room_already_gone_is_not_found(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    await actions.end_call(ROOM)

    with pytest.raises(RoomActionFailed) as failed:
        await actions.end_call(ROOM)

    assert (failed.value.action, failed.value.twirp_code) == ("end_call", "not_found")


async def test_remove_participant_hangs_up_one_caller_and_keeps_the_room(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    await actions.remove_participant(ROOM, CALLER)

    seen = only_request(peer)
    assert seen.path == "/twirp/livekit.RoomService/RemoveParticipant"
    assert isinstance(seen.message, RoomParticipantIdentity)
    assert (seen.message.room, seen.message.identity) == (ROOM, CALLER)
    assert seen.claims is not None
    assert seen.claims.video is not None
    assert (seen.claims.video.room_admin, seen.claims.video.room) == (True, ROOM)
    assert peer.participants(ROOM) == ["agent-1"]


@pytest.mark.parametrize(
    "act",
    [
        lambda actions: actions.transfer_caller(ROOM, CALLER, FRONT_DESK),
        lambda actions: actions.end_call(ROOM),
    ],
    ids=["transfer", "end_call"],
)
async def test_wrong_api_secret_is_rejected_and_nothing_happens(
    peer: LiveKitServerPeer, act: Callable[[RoomActions], Awaitable[object]]
) -> None:
    async with RoomActions(peer.url, API_KEY, API_SECRET[::-1]) as wrong:
        with pytest.raises(RoomActionFailed) as failed:
            await act(wrong)

    # livekit-server's auth middleware answers in plain text, so the SDK has no Twirp code.
    assert (failed.value.http_status, failed.value.twirp_code) == (401, "unknown")
    seen = only_request(peer)
    assert (seen.status, seen.claims) == (401, None)
    assert peer.participants(ROOM) == [CALLER, "agent-1"]


async def test_peer_enforces_the_grants_a_transfer_needs(peer: LiveKitServerPeer) -> None:
    """Guards the happy-path tests: a token for another room, or without sip.call, fails."""
    request = TransferSIPParticipantRequest(
        room_name=ROOM, participant_identity=CALLER, transfer_to=FRONT_DESK
    )
    for video, sip in [
        (VideoGrants(room_admin=True, room="another-room"), SIPGrants(call=True)),
        (VideoGrants(room_admin=True, room=ROOM), SIPGrants(admin=True)),
    ]:
        token = AccessToken(API_KEY, API_SECRET).with_grants(video).with_sip_grants(sip).to_jwt()
        async with LiveKitAPI.with_token(token, peer.url, failover=False) as api:
            with pytest.raises(ServerError, match="permissions denied"):
                await api.sip.transfer_sip_participant(request)

    assert [r.status for r in peer.requests] == [401, 401]
    assert CALLER in (peer.participants(ROOM) or [])


async def test_a_stalled_server_fails_within_the_request_timeout(peer: LiveKitServerPeer) -> None:
    peer.stall(5.0)
    started = time.monotonic()

    async with RoomActions(peer.url, API_KEY, API_SECRET, request_timeout_s=0.3) as quick:
        with pytest.raises(RoomActionFailed, match="in time") as failed:
            await quick.end_call(ROOM)

    assert time.monotonic() - started < 2.0
    assert failed.value.twirp_code is None


async def test_an_unreachable_server_is_a_room_action_failure() -> None:
    with refused_port() as port:
        async with RoomActions(f"http://127.0.0.1:{port}", API_KEY, API_SECRET) as nowhere:
            with pytest.raises(RoomActionFailed, match="unreachable") as failed:
                await nowhere.end_call(ROOM)

    assert failed.value.http_status is None


async def test_aclose_is_idempotent_and_needs_no_request_first(peer: LiveKitServerPeer) -> None:
    room_actions = RoomActions(peer.url, API_KEY, API_SECRET)
    await room_actions.aclose()
    await room_actions.end_call(ROOM)
    await room_actions.aclose()
    await room_actions.aclose()

    assert [r.status for r in peer.requests] == [200]


RECORDINGS = RecordingTarget(bucket="hotelvoice-recordings-test", region="eu-central-1")


async def test_a_recording_is_an_audio_only_ogg_egress_to_the_recordings_bucket(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    path = recording_path("aurora-berlin", "call-abc123")
    egress_id = await actions.start_recording(ROOM, path, RECORDINGS)

    seen = only_request(peer)
    assert seen.path == "/twirp/livekit.Egress/StartRoomCompositeEgress"
    assert seen.status == 200
    assert isinstance(seen.message, RoomCompositeEgressRequest)
    assert (seen.message.room_name, seen.message.audio_only) == (ROOM, True)
    (output,) = seen.message.file_outputs
    assert output.file_type == EncodedFileType.OGG
    assert output.filepath == "recordings/aurora-berlin/call-abc123.ogg"
    assert output.disable_manifest, "a manifest would name the room and its participants"
    assert (output.s3.bucket, output.s3.region) == (RECORDINGS.bucket, RECORDINGS.region)
    assert (output.s3.access_key, output.s3.secret) == ("", ""), "egress writes with its role"
    assert seen.claims is not None
    assert seen.claims.video is not None
    assert seen.claims.video.room_record is True
    (egress,) = peer.egresses(ROOM)
    assert egress.egress_id == egress_id


async def test_stop_recording_stops_that_egress(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    egress_id = await actions.start_recording(ROOM, "recordings/h/c.ogg", RECORDINGS)
    await actions.stop_recording(egress_id)

    stop = peer.requests[-1]
    assert stop.path == "/twirp/livekit.Egress/StopEgress"
    assert isinstance(stop.message, StopEgressRequest)
    assert (stop.status, stop.message.egress_id) == (200, egress_id)
    assert stop.claims is not None
    assert stop.claims.video is not None
    assert stop.claims.video.room_record is True
    (egress,) = peer.egresses(ROOM)
    assert egress.status == EgressStatus.EGRESS_ENDING
    with pytest.raises(RoomActionFailed) as again:
        await actions.stop_recording(egress_id)
    assert (again.value.action, again.value.twirp_code) == ("stop_recording", "failed_precondition")


async def test_a_server_without_egress_is_a_room_action_failure(
    peer: LiveKitServerPeer, actions: RoomActions
) -> None:
    peer.fail_next_egress(EGRESS_NOT_CONNECTED)

    with pytest.raises(RoomActionFailed) as failed:
        await actions.start_recording(ROOM, "recordings/h/c.ogg", RECORDINGS)

    assert (failed.value.action, failed.value.twirp_code, failed.value.http_status) == (
        "start_recording",
        "internal",
        500,
    )
    assert peer.egresses() == []


def test_recording_keys_hold_ids_only_never_a_room_named_after_the_caller() -> None:
    assert recording_path("aurora-berlin", "call-0f3a") == "recordings/aurora-berlin/call-0f3a.ogg"
    assert recording_path("aurora-berlin", ROOM) is None, "LiveKit SIP's room names carry +49…"
    assert recording_path("Aurora Berlin", "call-0f3a") is None
    assert recording_path("aurora-berlin", "../other/call") is None


def test_the_recording_target_is_the_configured_bucket_in_the_stacks_region() -> None:
    assert RecordingTarget.from_settings(Settings(local_mode=True, recordings_bucket="")) is None
    target = RecordingTarget.from_settings(
        Settings(local_mode=True, recordings_bucket="rec", aws_region="eu-west-1")
    )
    assert target == RecordingTarget("rec", "eu-west-1")
