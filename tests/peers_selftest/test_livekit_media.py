"""The LiveKit peer's media helpers: DTX in its answers, the packet ear, the encoded voice."""

from __future__ import annotations

import asyncio

import av
import numpy as np
from aiortc.codecs.opus import OpusDecoder
from aiortc.jitterbuffer import JitterFrame
from peers.livekit_media import SPEECH_PACKET_BYTES, AgentEar, CallerVoice, HeardPacket
from peers.livekit_signal import _with_dtx

from hotelvoice.speech.audio import Pcm

ANSWER = "\r\n".join(
    [
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "m=audio 9 UDP/TLS/RTP/SAVPF 96 0",
        "a=mid:0",
        "a=recvonly",
        "a=rtpmap:96 opus/48000/2",
        "a=rtpmap:0 PCMU/8000",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "a=mid:1",
        "a=sendonly",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "a=mid:2",
        "a=recvonly",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "",
    ]
)


def test_the_answer_asks_for_dtx_where_the_client_publishes_with_it() -> None:
    lines = _with_dtx(ANSWER, dtx=True).split("\r\n")
    # a section the client sends in without an fmtp line gets one after the rtpmaps
    assert lines[lines.index("a=rtpmap:0 PCMU/8000") + 1] == "a=fmtp:96 usedtx=1"
    assert "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1" in lines
    # the section the peer sends in (the caller's voice) is left as it was
    assert "a=fmtp:111 minptime=10" in lines
    assert _with_dtx(ANSWER, dtx=False) == ANSWER


def _speech_run(ear: AgentEar, start: float, packets: int) -> None:
    for i in range(packets):
        ear._note(HeardPacket(start + 0.02 * i, 90))


def test_the_packet_ear_hears_speech_runs_and_not_dtx_refreshes() -> None:
    ear = AgentEar(decode=False)
    # DTX: a refresh frame then a one-byte frame, every 400 ms
    for tick in range(5):
        ear._note(HeardPacket(1.0 + 0.4 * tick, 55))
        ear._note(HeardPacket(1.02 + 0.4 * tick, 1))
    assert ear.first_sound_after(0.0) is None
    assert ear.last_sound() is None
    _speech_run(ear, 3.0, 50)
    ear._note(HeardPacket(4.2, SPEECH_PACKET_BYTES))  # back to silence
    _speech_run(ear, 6.0, 2)  # too short to be speech
    assert ear.first_sound_after(0.0) == 3.0
    assert ear.first_sound_after(3.0) is None
    assert ear.last_sound() == 3.0 + 0.02 * 49
    assert ear.spoken == [[3.0, 3.0 + 0.02 * 49]]


def test_the_caller_voice_sends_its_speech_encoded_and_silence_between() -> None:
    tone = (np.sin(np.arange(16_000) * 2 * np.pi * 440 / 16_000) * 8000).astype(np.int16)

    async def play() -> list[av.Packet]:
        voice = CallerVoice("TR_caller")
        voice._start = 0.0  # no real-time pacing in a unit test
        voice.say(Pcm.from_array(tone, 16_000))
        return [await voice.recv() for _ in range(60)]

    packets = asyncio.run(play())
    assert [p.pts for p in packets] == [960 * i for i in range(60)]
    decoder = OpusDecoder()
    levels = []
    for packet in packets:
        (frame,) = decoder.decode(JitterFrame(bytes(packet), packet.pts))
        levels.append(float(np.sqrt(np.mean(frame.to_ndarray().astype(np.float64) ** 2))))
    # one second of tone is fifty 20 ms packets, then the line is quiet
    assert min(levels[2:48]) > 2000
    assert max(levels[53:]) < 50
