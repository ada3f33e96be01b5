"""A local NVIDIA Riva ASR server: the real gRPC service, from the stubs nvidia-riva-client ships.

The peer serves ``nvidia.riva.asr.RivaSpeechRecognition`` (``Recognize``,
``StreamingRecognize``, ``GetRivaSpeechRecognitionConfig``) on ``127.0.0.1`` so tests drive the
official ``riva.client`` over a real channel. By default it "recognises" by decoding the audio
it receives with our pocketsphinx recogniser, so a client that sends the wrong bytes, rate or
encoding gets a wrong transcript, as it would from Riva; ``say(text)`` scripts the next answer
instead when a test only cares about the plumbing.

Checks made the way Riva makes them: ``encoding`` must be ``LINEAR_PCM``, ``sample_rate_hertz``
positive, the language one the peer "deploys" (else ``INVALID_ARGUMENT``, as Riva answers for a
model it has not loaded); words come back only with ``enable_word_time_offsets`` and their
``start_time``/``end_time`` are integer milliseconds.

A stream is by default one utterance: the final comes when the client half-closes. With
``endpoint_silence_s`` the peer endpoints as Riva does on a live call instead: a stretch of
speech followed by that much silence is one utterance with its own final, the call stays
open for the next, and a scripted transcript is taken when an utterance's speech begins, so
``say()`` before each caller turn scripts that turn.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from dataclasses import dataclass, field

import grpc
import numpy as np
from riva.client.proto import riva_asr_pb2 as rasr
from riva.client.proto import riva_asr_pb2_grpc as rasr_grpc
from riva.client.proto import riva_audio_pb2 as raudio

from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer, Transcript, Word

MODEL_NAME = "conformer-en-US-asr-offline-peer"
SCRIPTED_WORD_S = 0.3
"""Pace of a scripted transcript's partial results: one word per 0.3 s of streamed audio."""
PEER_CONFIDENCE = 0.875
"""What every alternative reports: pocketsphinx has no confidence, Riva always sends one."""
SPEECH_RMS = 300.0
"""Endpointing: a chunk louder than this (int16 RMS) is speech, quieter is silence."""


@dataclass(frozen=True)
class RecordedRecognition:
    """One request as the peer saw it: the config and the audio it decoded."""

    method: str
    config: rasr.RecognitionConfig
    audio: bytes
    metadata: dict[str, str] = field(default_factory=dict)


class RivaAsrPeer:
    """A Riva ASR server on an ephemeral loopback port; ``stop()``/``start()`` keep the port."""

    def __init__(
        self,
        *,
        languages: Iterable[str] = ("en-US",),
        recognize: Callable[[Pcm], Transcript] | None = None,
        interim_every_s: float = 0.5,
        host: str = "127.0.0.1",
        endpoint_silence_s: float | None = None,
    ) -> None:
        """Prepare the peer; ``recognize`` defaults to pocketsphinx with the hotel grammar.

        ``host`` is where it listens (a network namespace's host end for a worker inside it);
        ``endpoint_silence_s`` turns on Riva's own endpointing (see the module docstring).
        """
        self.languages = frozenset(languages)
        self.host = host
        self.endpoint_silence_s = endpoint_silence_s
        self._recognize = recognize
        self._sphinx: HotelSpeechRecognizer | None = None
        self.interim_every_s = interim_every_s
        self.requests: list[RecordedRecognition] = []
        self._scripted: deque[str] = deque()
        self._failure: tuple[grpc.StatusCode, str] | None = None
        self._lock = threading.Lock()
        self._server: grpc.Server | None = None
        self.port = 0

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> RivaAsrPeer:
        """Serve (again); the first start picks the port, later starts reuse it."""
        if self._server is not None:
            return self
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        rasr_grpc.add_RivaSpeechRecognitionServicer_to_server(_Servicer(self), server)
        bound = server.add_insecure_port(f"{self.host}:{self.port}")
        if bound == 0:
            raise RuntimeError(f"cannot bind {self.host}:{self.port}")
        self.port = bound
        server.start()
        self._server = server
        return self

    def stop(self) -> None:
        """Close the port and drop in-flight calls, as a crashed or restarting Riva does."""
        if self._server is not None:
            self._server.stop(grace=None).wait()
            self._server = None

    def __enter__(self) -> RivaAsrPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def uri(self) -> str:
        """``host:port`` as ``riva.client.Auth(uri=...)`` takes it."""
        return f"{self.host}:{self.port}"

    # scripting ---------------------------------------------------------------------------
    def say(self, *texts: str) -> None:
        """Answer the next recognitions with these transcripts instead of decoding audio."""
        with self._lock:
            self._scripted.extend(texts)

    def fail_from_now(
        self, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE, details: str = "peer failing"
    ) -> None:
        """Abort every call with ``code`` until ``recover()``: a server that is up but broken."""
        self._failure = (code, details)

    def recover(self) -> None:
        """Answer normally again."""
        self._failure = None

    # recognition -------------------------------------------------------------------------
    def _check(self, context: grpc.ServicerContext) -> None:
        if self._failure is not None:
            context.abort(*self._failure)

    def _validate(self, config: rasr.RecognitionConfig, context: grpc.ServicerContext) -> None:
        if config.encoding != raudio.AudioEncoding.LINEAR_PCM:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "only LINEAR_PCM is deployed")
        if config.sample_rate_hertz <= 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "sample_rate_hertz must be set")
        if config.language_code not in self.languages:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                "Error: Unavailable model requested given these parameters: "
                f"language_code={config.language_code}; sample_rate=any; type=offline;",
            )

    def _take_scripted(self) -> str | None:
        with self._lock:
            return self._scripted.popleft() if self._scripted else None

    def _decode(self, audio: bytes, rate: int) -> Transcript:
        pcm = Pcm(audio, rate)
        if self._recognize is not None:
            return self._recognize(pcm)
        with self._lock:
            if self._sphinx is None:
                self._sphinx = HotelSpeechRecognizer()
        return self._sphinx.transcribe(pcm)

    def _record(self, method: str, config: rasr.RecognitionConfig, audio: bytes, context) -> None:
        metadata = {key: value for key, value in context.invocation_metadata()}
        with self._lock:
            self.requests.append(RecordedRecognition(method, config, audio, metadata))


class _Servicer(rasr_grpc.RivaSpeechRecognitionServicer):
    def __init__(self, peer: RivaAsrPeer) -> None:
        self.peer = peer

    def Recognize(self, request, context):
        peer = self.peer
        peer._check(context)
        peer._validate(request.config, context)
        peer._record("Recognize", request.config, request.audio, context)
        rate = request.config.sample_rate_hertz
        duration = len(request.audio) / 2 / rate
        scripted = peer._take_scripted()
        transcript = (
            _spread(scripted, duration)
            if scripted is not None
            else peer._decode(request.audio, rate)
        )
        result = rasr.SpeechRecognitionResult(
            alternatives=[_alternative(transcript, request.config)],
            audio_processed=duration,
        )
        return rasr.RecognizeResponse(results=[result] if transcript.text else [])

    def StreamingRecognize(self, request_iterator, context) -> Iterator:
        peer = self.peer
        peer._check(context)
        first = next(request_iterator, None)
        if first is None or not first.HasField("streaming_config"):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "first message must be the config")
        streaming = first.streaming_config
        config = streaming.config
        peer._validate(config, context)
        if peer.endpoint_silence_s is not None:
            yield from _endpointed(peer, streaming, request_iterator, context)
            return
        rate = config.sample_rate_hertz
        scripted = peer._take_scripted()
        audio = bytearray()
        next_interim = peer.interim_every_s
        for request in request_iterator:
            audio += request.audio_content
            processed = len(audio) / 2 / rate
            if streaming.interim_results and processed >= next_interim:
                next_interim += peer.interim_every_s
                heard = (
                    _spread(scripted, len(scripted.split()) * SCRIPTED_WORD_S)
                    if scripted is not None
                    else peer._decode(bytes(audio), rate)
                )
                partial = _until(heard, processed)
                if partial.text:
                    yield _streaming(partial, config, processed, is_final=False)
        peer._record("StreamingRecognize", config, bytes(audio), context)
        duration = len(audio) / 2 / rate
        final = (
            _spread(scripted, duration)
            if scripted is not None
            else peer._decode(bytes(audio), rate)
        )
        yield _streaming(final, config, duration, is_final=True)

    def GetRivaSpeechRecognitionConfig(self, request, context):
        self.peer._check(context)
        models = [
            rasr.RivaSpeechRecognitionConfigResponse.Config(
                model_name=MODEL_NAME, parameters={"language_code": language, "type": "offline"}
            )
            for language in sorted(self.peer.languages)
        ]
        return rasr.RivaSpeechRecognitionConfigResponse(model_config=models)


def _endpointed(
    peer: RivaAsrPeer,
    streaming: rasr.StreamingRecognitionConfig,
    request_iterator: Iterator[rasr.StreamingRecognizeRequest],
    context: grpc.ServicerContext,
) -> Iterator[rasr.StreamingRecognizeResponse]:
    """One call, many utterances: a final after each stretch of speech and silence."""
    assert peer.endpoint_silence_s is not None
    config = streaming.config
    bytes_per_s = config.sample_rate_hertz * 2
    audio = bytearray()
    start: int | None = None  # where the utterance's speech began (bytes into the call)
    last_loud = 0  # where its last loud chunk ended
    scripted: str | None = None
    next_interim = 0.0

    def heard(until: int) -> Transcript:
        offset_s = start / bytes_per_s if start is not None else 0.0
        if scripted is not None:
            whole = _spread(scripted, len(scripted.split()) * SCRIPTED_WORD_S)
            return _shifted(_until(whole, (until - (start or 0)) / bytes_per_s), offset_s)
        return _shifted(peer._decode(bytes(audio[start:until]), config.sample_rate_hertz), offset_s)

    def final(until: int) -> rasr.StreamingRecognizeResponse:
        assert start is not None
        peer._record("StreamingRecognize", config, bytes(audio[start:until]), context)
        offset_s = start / bytes_per_s
        if scripted is not None:
            transcript = _shifted(_spread(scripted, (until - start) / bytes_per_s), offset_s)
        else:
            transcript = heard(until)
        return _streaming(transcript, config, len(audio) / bytes_per_s, is_final=True)

    for request in request_iterator:
        chunk = request.audio_content
        began = len(audio)
        audio += chunk
        if _rms(chunk) > SPEECH_RMS:
            if start is None:
                start, scripted = began, peer._take_scripted()
                next_interim = peer.interim_every_s
            last_loud = len(audio)
        if start is None:
            continue
        if (len(audio) - last_loud) / bytes_per_s >= peer.endpoint_silence_s:
            yield final(last_loud)
            start, scripted = None, None
        elif streaming.interim_results and (len(audio) - start) / bytes_per_s >= next_interim:
            next_interim += peer.interim_every_s
            partial = heard(len(audio))
            if partial.text:
                yield _streaming(partial, config, len(audio) / bytes_per_s, is_final=False)
    if start is not None:
        yield final(last_loud)


def _rms(chunk: bytes) -> float:
    samples = np.frombuffer(chunk[: len(chunk) - len(chunk) % 2], dtype=np.int16)
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0


def _shifted(transcript: Transcript, offset_s: float) -> Transcript:
    """Word times moved from the utterance's start to the call's, as Riva reports them."""
    words = tuple(
        Word(w.word, round(w.start_s + offset_s, 3), round(w.end_s + offset_s, 3))
        for w in transcript.words
    )
    return Transcript(transcript.text, transcript.confidence, words)


def _alternative(
    transcript: Transcript, config: rasr.RecognitionConfig
) -> rasr.SpeechRecognitionAlternative:
    words = [
        rasr.WordInfo(
            word=w.word,
            start_time=round(w.start_s * 1000),
            end_time=round(w.end_s * 1000),
            confidence=PEER_CONFIDENCE,
        )
        for w in transcript.words
    ]
    return rasr.SpeechRecognitionAlternative(
        transcript=transcript.text + " ",  # Riva ends transcripts with a space
        confidence=PEER_CONFIDENCE,
        words=words if config.enable_word_time_offsets else [],
        language_code=config.language_code,
    )


def _streaming(
    transcript: Transcript, config: rasr.RecognitionConfig, processed: float, *, is_final: bool
) -> rasr.StreamingRecognizeResponse:
    result = rasr.StreamingRecognitionResult(
        alternatives=[_alternative(transcript, config)],
        is_final=is_final,
        stability=1.0 if is_final else 0.1,
        audio_processed=processed,
    )
    return rasr.StreamingRecognizeResponse(results=[result])


def _spread(text: str, duration_s: float) -> Transcript:
    """A scripted transcript with its words spread evenly over the audio."""
    names = text.split()
    step = duration_s / max(len(names), 1)
    words = tuple(
        Word(name, round(i * step, 3), round((i + 1) * step, 3)) for i, name in enumerate(names)
    )
    return Transcript(text, None, words)


def _until(transcript: Transcript, seconds: float) -> Transcript:
    """The words heard by ``seconds``: a partial result never runs ahead of the audio."""
    words = tuple(w for w in transcript.words if w.end_s <= seconds)
    return Transcript(" ".join(w.word for w in words), None, words)
