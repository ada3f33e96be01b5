"""The LiveKit peer's Egress service answers the real ``livekit.api`` client as livekit-server does.

(RoomService and SIP are exercised through ``RoomActions`` in
``tests/realtime_agent/test_room_actions.py``.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from livekit.api import AccessToken, LiveKitAPI, ServerError, VideoGrants
from livekit.protocol.egress import (
    EgressStatus,
    EncodedFileOutput,
    EncodedFileType,
    RoomCompositeEgressRequest,
    S3Upload,
    StopEgressRequest,
)
from livekit.protocol.room import DeleteRoomRequest
from peers.livekit_server_peer import EGRESS_NOT_CONNECTED, LiveKitServerPeer

KEY, SECRET = "APIpeerselftest", "peer-selftest-secret-of-at-least-32-bytes!"
ROOM = "call-selftest"


def room_audio(room: str = ROOM) -> RoomCompositeEgressRequest:
    return RoomCompositeEgressRequest(
        room_name=room,
        audio_only=True,
        file_outputs=[
            EncodedFileOutput(
                file_type=EncodedFileType.OGG,
                filepath="recordings/h/c.ogg",
                s3=S3Upload(bucket="b", region="eu-central-1"),
            )
        ],
    )


@pytest.fixture
def peer() -> Iterator[LiveKitServerPeer]:
    with LiveKitServerPeer(api_key=KEY, api_secret=SECRET) as server:
        server.add_sip_caller(ROOM, "sip_caller")
        yield server


@pytest.fixture
async def api(peer: LiveKitServerPeer) -> AsyncIterator[LiveKitAPI]:
    client = LiveKitAPI(peer.url, KEY, SECRET, failover=False)
    yield client
    await client.aclose()


async def test_an_egress_starts_with_the_record_grant_and_echoes_its_request(
    peer: LiveKitServerPeer, api: LiveKitAPI
) -> None:
    info = await api.egress.start_room_composite_egress(room_audio())
    assert info.egress_id.startswith("EG_")
    assert info.status == EgressStatus.EGRESS_STARTING
    assert info.room_name == ROOM
    assert info.room_composite.audio_only
    (seen,) = peer.requests
    assert seen.method == "StartRoomCompositeEgress"
    assert seen.claims.video.room_record is True
    (egress,) = peer.egresses(ROOM)
    assert egress.filepaths == ["recordings/h/c.ogg"]
    assert egress.active


async def test_stop_ends_it_once_and_unknown_ids_are_not_found(
    peer: LiveKitServerPeer, api: LiveKitAPI
) -> None:
    info = await api.egress.start_room_composite_egress(room_audio())
    stopped = await api.egress.stop_egress(StopEgressRequest(egress_id=info.egress_id))
    assert stopped.status == EgressStatus.EGRESS_ENDING
    with pytest.raises(ServerError) as again:
        await api.egress.stop_egress(StopEgressRequest(egress_id=info.egress_id))
    assert (again.value.code, again.value.status) == ("failed_precondition", 412)
    with pytest.raises(ServerError) as unknown:
        await api.egress.stop_egress(StopEgressRequest(egress_id="EG_nope"))
    assert (unknown.value.code, unknown.value.status) == ("not_found", 404)


async def test_rooms_outputs_and_the_egress_service_are_checked(
    peer: LiveKitServerPeer, api: LiveKitAPI
) -> None:
    with pytest.raises(ServerError) as no_room:
        await api.egress.start_room_composite_egress(room_audio("call-elsewhere"))
    assert no_room.value.code == "not_found"
    with pytest.raises(ServerError) as no_output:
        await api.egress.start_room_composite_egress(
            RoomCompositeEgressRequest(room_name=ROOM, audio_only=True)
        )
    assert no_output.value.code == "invalid_argument"
    peer.fail_next_egress(EGRESS_NOT_CONNECTED)
    with pytest.raises(ServerError) as not_connected:
        await api.egress.start_room_composite_egress(room_audio())
    assert (not_connected.value.code, not_connected.value.status) == ("internal", 500)
    assert peer.egresses() == []


async def test_a_token_without_the_record_grant_is_denied(peer: LiveKitServerPeer) -> None:
    import aiohttp

    token = AccessToken(KEY, SECRET).with_grants(VideoGrants(room_admin=True, room=ROOM)).to_jwt()
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{peer.url}/twirp/livekit.Egress/StartRoomCompositeEgress",
            data=room_audio().SerializeToString(),
            headers={"authorization": f"Bearer {token}", "content-type": "application/protobuf"},
        )
        body = await response.json()
    assert (response.status, body["code"]) == (401, "unauthenticated")
    assert peer.egresses() == []


async def test_deleting_the_room_completes_its_egress(
    peer: LiveKitServerPeer, api: LiveKitAPI
) -> None:
    info = await api.egress.start_room_composite_egress(room_audio())
    await api.room.delete_room(DeleteRoomRequest(room=ROOM))
    (egress,) = peer.egresses(ROOM)
    assert (egress.egress_id, egress.status) == (info.egress_id, EgressStatus.EGRESS_COMPLETE)
