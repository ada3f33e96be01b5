"""The local Riva peer as the ASR benchmark needs it: its own process, a partial per chunk.

Riva is a separate process (on the GPU) in production, so the peer gets a process of its own:
its gRPC threads then never share an interpreter lock with the proxy being measured. Its
recogniser "hears" one more word per 100 ms chunk, so every chunk triggers a partial that
differs from the last (the proxy forwards only changed partials); decoding is the GPU's job
in production, and pocketsphinx here would only add the same noise to both sides. Its gRPC
server gets a thread per stream, as Riva serves many streams at once (the test peer's
default pool serves 8).
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent import futures
from multiprocessing.connection import Connection
from typing import Final

import grpc
from riva.client.proto import riva_asr_pb2_grpc as rasr_grpc

from bench import use_test_peers
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.transcript import Transcript, Word

use_test_peers()
from peers.riva_asr_peer import RivaAsrPeer, _Servicer  # noqa: E402 - needs tests/ on the path

PHRASE: Final = "do you have a room from december twelfth to december fifteenth for two adults"
RATE: Final = 16000
CHUNK_S: Final = 0.1
INTERIM_S: Final = CHUNK_S * 0.99
"""Just under a chunk: the peer adds intervals up, and float drift must not skip a chunk."""


def one_word_per_chunk(pcm: Pcm) -> Transcript:
    """What the peer "hears": one more word of the phrase per 100 ms of audio."""
    names = PHRASE.split()
    count = round(pcm.duration_s / CHUNK_S)
    words = tuple(
        Word(names[i % len(names)], round(i * CHUNK_S, 3), round((i + 1) * CHUNK_S - 0.001, 3))
        for i in range(count)
    )
    return Transcript(" ".join(w.word for w in words), None, words)


class BenchRivaPeer(RivaAsrPeer):
    """The test peer with a wide thread pool and the one-word-per-chunk recogniser."""

    def __init__(self, workers: int) -> None:
        """A peer answering each chunk with a partial, from ``workers`` threads."""
        super().__init__(recognize=one_word_per_chunk, interim_every_s=INTERIM_S)
        self.workers = workers

    def start(self) -> BenchRivaPeer:
        """Serve on a fresh loopback port."""
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=self.workers))
        rasr_grpc.add_RivaSpeechRecognitionServicer_to_server(_Servicer(self), server)
        self.port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        self._server = server
        return self


def _serve(workers: int, control: Connection) -> None:
    """The peer process: report the address, answer ``cpu`` with its CPU time, serve."""
    with BenchRivaPeer(workers) as peer:
        control.send(peer.uri)
        while control.recv() == "cpu":
            control.send(time.process_time())


class PeerProcess:
    """``with PeerProcess(workers) as peer:`` a Riva peer at ``peer.uri``, in a child process."""

    def __init__(self, workers: int) -> None:
        """Prepare the child; it starts on ``__enter__``."""
        context = multiprocessing.get_context("spawn")
        self._control, child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(workers, child_end), name="riva-peer", daemon=True
        )

    def __enter__(self) -> PeerProcess:
        self._process.start()
        if not self._control.poll(60):
            raise RuntimeError("the Riva peer did not start")
        self.uri: str = self._control.recv()
        return self

    def cpu_s(self) -> float:
        """CPU seconds the peer process has used so far."""
        self._control.send("cpu")
        return float(self._control.recv())

    def __exit__(self, *exc: object) -> None:
        self._control.send("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
