"""A failed call reported to LiveKit as a failed job, so the job's status can be alarmed on.

LiveKit 1.8.9's process executor reports a job ``JS_FAILED`` only when the job's process
exits with a non-zero code, and a job process exits 0 whatever its entrypoint raised (the
exception is only logged). The process is a ``multiprocessing`` child: after LiveKit's
``proc_main`` has returned (the room closed, the job's logs flushed), ``multiprocessing``
runs its exit finalizers, and a ``SystemExit`` from the last of them becomes the process's
exit code. Nothing of the job is cut short by it.

The thread executor runs jobs inside the worker's own process, which must not exit: there
a failed call is reported only by its ``failed`` outcome and the error log.
"""

from __future__ import annotations

import functools
import logging
from multiprocessing import util

from livekit.agents import JobExecutorType, JobProcess

log = logging.getLogger("hotelvoice.agent.job_status")

FAILED_EXIT_CODE = 1
_LAST = -1000
"""Below every finalizer ``multiprocessing`` and LiveKit register, so it runs after them."""


def report_job_failed(proc: JobProcess) -> None:
    """Make this job's process exit non-zero once it is done; once per process."""
    if proc.executor_type != JobExecutorType.PROCESS:
        log.info("thread executor: the job's status cannot say that the call failed")
        return
    _exit_failed_at_the_end()


@functools.cache
def _exit_failed_at_the_end() -> None:
    util.Finalize(None, _exit_failed, exitpriority=_LAST)


def _exit_failed() -> None:
    raise SystemExit(FAILED_EXIT_CODE)
