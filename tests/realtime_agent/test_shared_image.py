"""The worker's shared image is fork-safe: loaded once, used in a forked call process.

LiveKit forks each call's process from a forkserver that imported
``realtime_agent.shared_image``. A thread started while loading would not exist in the child,
and whatever waits on it there would hang the call; so the module must leave one thread, and
the VAD, lingua and the language data must work in a child forked after loading.

It also holds what each call's first requests used to build on the call's event loop while
the caller waited for the greeting: the TLS context (a CA bundle parsed), the call events'
validators, httpcore's modules. A call's process builds no TLS context of its own.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import asyncio, os, threading
    import numpy as np
    import realtime_agent.shared_image
    from livekit import rtc
    from realtime_agent import language_detection
    from realtime_agent.speech.plugins import vad

    assert threading.active_count() == 1, [t.name for t in threading.enumerate()]
    import ssl, sys
    import httpx
    from hotelvoice.contracts.call_events import CallStarted, CALL_EVENT
    from realtime_agent.http_client import control_plane_client

    assert CallStarted.__pydantic_complete__ and CALL_EVENT.pydantic_complete
    assert "httpcore" in sys.modules and "anyio._backends._asyncio" in sys.modules
    from hotelvoice.redaction import spoken_email_pattern
    assert spoken_email_pattern.cache_info().currsize == 1  # redaction's catalogs are built
    pid = os.fork()
    if pid == 0:
        def no_new_tls_context(*args, **kwargs):
            raise AssertionError("a call built a TLS context")

        ssl.create_default_context = httpx.create_ssl_context = no_new_tls_context
        ssl.SSLContext.load_verify_locations = no_new_tls_context

        async def open_client() -> None:
            await control_plane_client().aclose()

        asyncio.run(open_client())
        found = language_detection.detect_language("Guten Tag, ich hätte gerne ein Zimmer")
        assert found is not None and found.language == "de", found

        async def events() -> int:
            stream = vad().stream()
            noise = (np.random.default_rng(1).normal(0, 3000, 16000)).astype(np.int16)
            for start in range(0, noise.size, 160):
                chunk = noise[start : start + 160].tobytes()
                stream.push_frame(rtc.AudioFrame(chunk, 16000, 1, 160))
            stream.end_input()
            return sum([1 async for _ in stream])

        assert asyncio.run(events()) > 0
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print("child exit", os.waitstatus_to_exitcode(status))
    """
)


def test_a_call_process_forked_after_loading_hears_and_detects_languages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "child exit 0" in done.stdout, done.stdout + done.stderr[-2000:]
