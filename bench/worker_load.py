"""``make load``: N concurrent phone calls through one real worker, and what each one costs.

The worker is ``python -m realtime_agent start`` in a network namespace (``tests/worker_calls/
rig.py``), answering calls from the local LiveKit peer over WebRTC. Everything around it
answers instantly so that the worker's own cost shows: the ASR is ``peers.instant_asr_peer``
in a process of its own (each utterance is "is breakfast included", final once 0.25 s of quiet
ends it), the dialogue is the fallback
policy (in process), the answer comes from the hotel's knowledge base (no PMS call), the voice
is espeak-ng (in process, a few ms a sentence) with the process's TTS cache.

Per level of N calls, dialled within ``SETUP_WINDOW_S`` of each other: each call is answered
and greeted, then every caller asks the question once, at random moments over a window, and
hangs up after the answer. Measured per level:

- setup failures: no agent, no greeting, or a failed job;
- the delay from the caller's last packet to the agent's first packet of speech, as the peer
  sends and receives them (p50/p95; the agent's audio is timed by its RTP packets, DTX
  silence told from speech by size, and never decoded), and the *overhead*: that delay minus
  a lone call's (the first level), or minus the configured turn-taking wait;
- CPU of the worker's processes (the worker, its forkserver and every call process), as
  cores and per call, and while every call listens by kind of thread (Python's event loop,
  its other threads, each of libwebrtc's and LiveKit's native threads);
- memory: proportional set size summed over the worker's processes, idle and with every
  call connected.

The load generator runs on the same two cores: the peer (aiortc media for every call, the
caller's speech encoded once and sent as ready packets) in this process; the control plane
(``hotelvoice api``, with moto) and the instant recogniser in processes of their own. Its
CPU is reported too, as it takes from the worker's share.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import random
import shutil
import sys
import time
from pathlib import Path

import psutil
from pydantic import BaseModel

from bench import use_test_peers
from bench.stats import LoopLateness, Machine, Percentiles, machine, percentiles
from bench.tree_meter import ProcessMeter, cores_by_kind, thread_seconds

LEVELS = (1, 10, 25, 50, 100)
SETUP_WINDOW_S = 2.0
QUESTION = "Is breakfast included?"
GREETING_TIMEOUT_S = 45.0
REPLY_TIMEOUT_S = 20.0
QUIET_S = 1.0
HOLD_S = 5.0
LAG_TICK_S = 0.02
JOB_END_TIMEOUT_S = 30.0
LEVEL_TIMEOUT_S = 420.0
"""Every call connected and quiet for this long: the steady cost of listening."""
OUT = Path("out/load")


class LevelResult(BaseModel):
    """What one level of concurrent calls cost and how the callers fared."""

    calls: int
    setup_failures: int
    unanswered: int
    """Calls set up whose question got no audible answer."""
    delay: Percentiles
    overhead: Percentiles
    """The delay beyond the turn-taking wait: a lone call's delay (the first level, one
    call) when the run has one, else the configured VAD silence + minimum endpointing."""
    delays_s: list[float]
    worker_cpu_cores: float
    cpu_per_call_pct: float
    """Percent of one core per connected call while every call listens (the steady cost)."""
    listening_pct_by_thread: dict[str, float] = {}
    """:attr:`cpu_per_call_pct` by kind of thread (``bench/thread_cpu.py``): which part of
    the worker the steady cost is."""
    cpu_s_per_call: float
    """Worker CPU seconds per call over the level: set-up, greeting, question, answer, end."""
    generator_cpu_cores: float
    generator_lag: Percentiles = Percentiles(n=0, p50_ms=0, p95_ms=0, p99_ms=0, max_ms=0)
    """How late the load generator's event loop ran a 20 ms timer: the peer stamps the
    agent's packets when its loop reads them, so a late loop adds to every delay."""
    pss_idle_mib: float
    pss_peak_mib: float
    """With every call set up and connected, after the listening measurement."""
    mib_per_call: float
    processes_peak: int
    job_statuses: dict[str, int]
    seconds: float


class LoadResult(BaseModel):
    """Every level of one run, with what was and was not in the loop."""

    machine: Machine
    executor: str
    turn_detection: str
    turn_wait_s: float
    """What :attr:`LevelResult.overhead` subtracts: the configured VAD silence plus the
    minimum endpointing delay."""
    levels: list[LevelResult]
    in_the_loop: list[str]
    not_in_the_loop: list[str]


def turn_wait_s(turn_detection: str) -> float:
    """The silence the worker waits for by design before it may answer.

    The VAD's silence (``vad``, ``model``) or the instant recogniser's gap that ends an
    utterance (``stt``), plus the minimum endpointing delay.
    """
    from realtime_agent.turn_taking import TELEPHONY_TURN_HANDLING

    if turn_detection == "stt":
        from peers.instant_asr_peer import UTTERANCE_GAP_S

        silence = UTTERANCE_GAP_S
    else:
        from livekit.plugins.silero.vad import VAD

        silence = inspect.signature(VAD.load).parameters["min_silence_duration"].default
    return float(silence) + float(TELEPHONY_TURN_HANDLING["endpointing"]["min_delay"])


async def _greeted(call, timeout_s: float) -> bool:
    deadline = time.time() + timeout_s
    while call.agent is None or not call.agent.connected.is_set():
        if time.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    ear = call.agent.ear
    while time.time() < deadline:
        last = ear.last_sound()
        if last is not None and time.time() - last >= QUIET_S:
            return True
        await asyncio.sleep(0.1)
    return False


async def _ask(call, question) -> float | None:
    """The caller asks now; the delay to the agent's first audible answer, if any."""
    ended = await call.voice.say(question)
    deadline = ended + REPLY_TIMEOUT_S
    while time.time() < deadline:
        first = call.agent.ear.first_sound_after(ended)
        last = call.agent.ear.last_sound()
        if first is not None and last is not None and time.time() - last >= QUIET_S:
            return first - ended  # the answer has finished: on to the next step
        await asyncio.sleep(0.05)
    first = call.agent.ear.first_sound_after(ended)
    return None if first is None else first - ended


async def _converse(call, question) -> float | bool | None:
    """Greeting, a short pause, the question: the answer's delay.

    ``None`` when no answer came, ``False`` when the call was never set up (no agent, or
    no greeting).
    """
    if not await _greeted(call, GREETING_TIMEOUT_S):
        return False
    # within a caller's natural pause: long before the agent's silence reprompt
    await asyncio.sleep(random.uniform(0.5, 3.0))
    return await _ask(call, question)


async def run_level(
    peer,
    n: int,
    question,
    meter: ProcessMeter,
    number: str,
    wait: float,
    generator: ProcessMeter,
) -> LevelResult:
    """Dial ``n`` calls, greet, ask once each, hold, hang up; measured as the module says."""
    from livekit.protocol import agent as agent_pb

    started = time.time()
    cpu_before = meter.sample_cpu()
    pss_idle, _ = await asyncio.to_thread(meter.pss_mib)
    generator_before = generator.sample_cpu()
    stop = asyncio.Event()

    async def sample() -> None:
        # CPU times only: reading every process's PSS (the kernel walks its page tables,
        # ~8 ms a process) once a second took a fifth of a core from the worker at 25 calls
        while not stop.is_set():
            await asyncio.to_thread(meter.sample_cpu)
            await asyncio.sleep(1.0)

    sampler = asyncio.ensure_future(sample())
    loop_watch = LoopLateness(LAG_TICK_S).start()

    async def dial(index: int) -> object:
        await asyncio.sleep(index * SETUP_WINDOW_S / max(n, 1))
        return await peer.start_call(
            f"+49176{index:07d}", number, agent_name="hotelvoice-receptionist"
        )

    async def call_script(index: int) -> tuple[object, float | bool | None]:
        try:
            call = await dial(index)
        except Exception:
            return None, False
        return call, await _converse(call, question)

    outcomes = await asyncio.gather(*(call_script(i) for i in range(n)))
    live = [call for call, _ in outcomes if call is not None]
    # every call connected and quiet: what listening to N lines costs, steadily
    hold_cpu = meter.sample_cpu()
    threads_before = thread_seconds(meter.processes())
    await asyncio.sleep(HOLD_S)
    hold_cores = (meter.sample_cpu() - hold_cpu) / HOLD_S
    by_thread = cores_by_kind(threads_before, thread_seconds(meter.processes()), HOLD_S)
    # the peak: every call set up and still connected (measured after the CPU, as it costs)
    pss_peak, processes = await asyncio.to_thread(meter.pss_mib)
    for call in live:
        await peer.end_leg(call, call.caller.identity)
    statuses: dict[str, int] = {}

    async def job_end(call) -> str:
        try:
            async with asyncio.timeout(JOB_END_TIMEOUT_S):
                while call.job is None:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                await call.job.done.wait()
        except TimeoutError:
            return "NO_END"
        return agent_pb.JobStatus.Name(call.job.status)

    ends = await asyncio.gather(*(job_end(call) for call in live))
    for status in ends:
        statuses[status] = statuses.get(status, 0) + 1
    failed_jobs = {id(c) for c, status in zip(live, ends, strict=True) if status == "JS_FAILED"}
    stop.set()
    await sampler
    lateness = await loop_watch.stop()
    cpu_after = meter.sample_cpu()
    seconds = time.time() - started
    answers = [result for _, result in outcomes]
    set_up = [a for a in answers if a is not False]
    heard = [a for a in set_up if isinstance(a, float)]
    return LevelResult(
        calls=n,
        setup_failures=sum(
            1 for call, answer in outcomes if answer is False or id(call) in failed_jobs
        ),
        unanswered=len(set_up) - len(heard),
        delay=percentiles(heard),
        overhead=percentiles([max(0.0, d - wait) for d in heard]),
        delays_s=[round(d, 4) for d in heard],
        worker_cpu_cores=round((cpu_after - cpu_before) / seconds, 3),
        cpu_s_per_call=round((cpu_after - cpu_before) / n, 3),
        cpu_per_call_pct=round(100 * hold_cores / max(len(set_up), 1), 2),
        listening_pct_by_thread={
            kind: round(100 * cores / max(len(set_up), 1), 2) for kind, cores in by_thread.items()
        },
        generator_cpu_cores=round((generator.sample_cpu() - generator_before) / seconds, 3),
        generator_lag=percentiles(lateness),
        pss_idle_mib=round(pss_idle, 1),
        pss_peak_mib=round(pss_peak, 1),
        mib_per_call=round((pss_peak - pss_idle) / n, 1),
        processes_peak=processes,
        job_statuses=statuses,
        seconds=round(seconds, 1),
    )


def _timed_out(n: int) -> LevelResult:
    """A level that never finished: every call counts as failed."""
    nothing = percentiles([])
    return LevelResult(
        calls=n,
        setup_failures=n,
        unanswered=0,
        delay=nothing,
        overhead=nothing,
        delays_s=[],
        worker_cpu_cores=0.0,
        cpu_per_call_pct=0.0,
        cpu_s_per_call=0.0,
        generator_cpu_cores=0.0,
        pss_idle_mib=0.0,
        pss_peak_mib=0.0,
        mib_per_call=0.0,
        processes_peak=0,
        job_statuses={"TIMED_OUT": n},
        seconds=LEVEL_TIMEOUT_S,
    )


def _write(
    out: Path, host: Machine, args: argparse.Namespace, wait: float, levels: list[LevelResult]
) -> LoadResult:
    """``load.json`` and ``load.png`` for the levels measured so far."""
    from bench.worker_load_report import write_chart

    result = LoadResult(
        machine=host,
        executor=args.executor,
        turn_detection=args.turn_detection,
        turn_wait_s=wait,
        levels=levels,
        in_the_loop=[
            "python -m realtime_agent start (LiveKit AgentServer, livekit rtc SDK, libwebrtc)",
            "WebRTC media both ways (Opus, SRTP, ICE over a veth pair) to the LiveKit peer",
            ("" if args.turn_detection == "stt" else "Silero VAD, ")
            + "the fallback dialogue, espeak-ng TTS and its in-process cache"
            + (", LiveKit's end-of-turn model" if args.turn_detection == "model" else ""),
            "the control plane's API (hotel lookup, hotel facts, call events) on moto",
        ],
        not_in_the_loop=[
            "a LiveKit server (the peer is Python: signalling, dispatch, aiortc media)",
            "SIP, G.711 and the SIP bridge",
            "a recogniser (InstantAsrPeer answers at once), an LLM, a vendor TTS, a PMS",
        ],
    )
    (out / "load.json").write_text(result.model_dump_json(indent=2))
    write_chart(result, out / "load.png")
    return result


def main(argv: list[str] | None = None) -> LoadResult:
    """Run the levels against one worker; write ``load.json`` and ``load.png``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--executor", choices=("process", "thread"), default="process")
    parser.add_argument("--idle-processes", type=int, default=4)
    parser.add_argument(
        "--turn-detection",
        choices=("stt", "vad", "model"),
        default="stt",
        help="stt (default): the recogniser ends each turn, no VAD in the worker; vad: Silero "
        "in every call, a fixed wait after its silence; model: LiveKit's end-of-turn model "
        "chooses each wait (espeak callers sound unfinished to it)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    use_test_peers()
    sys.path.append(str(Path(__file__).resolve().parent.parent / "tests" / "worker_calls"))
    from rig import WorkerRig, caller_speech

    from bench.worker_load_report import summary
    from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER

    args.out.mkdir(parents=True, exist_ok=True)
    settings = {
        "HOTELVOICE_AGENT_EXECUTOR": args.executor,
        "HOTELVOICE_AGENT_MAX_CALLS": str(max(args.levels) + 10),
        "HOTELVOICE_AGENT_IDLE_PROCESSES": str(args.idle_processes),
        "HOTELVOICE_AGENT_TURN_DETECTION": args.turn_detection,
    }
    host = machine()
    levels = []
    logs = args.out / "logs"  # the worker's own log, kept for a person to read
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    rig = WorkerRig(logs, settings, instant_asr=True, decode_agent_audio=False, api_process=True)
    with rig:
        assert rig.peer is not None
        assert rig.worker is not None
        meter = ProcessMeter(psutil.Process(rig.worker.pid))
        # everything else this process started: the peer here, the control plane (and its
        # moto) and the instant recogniser in processes of their own
        generator = ProcessMeter(psutil.Process(), leave_out=meter)
        print("worker tree:", [(p.pid, p.name()) for p in meter.processes()], flush=True)
        question = caller_speech(QUESTION)
        wait = turn_wait_s(args.turn_detection)  # imports a LiveKit plugin: on the main thread
        time.sleep(3)  # the idle processes finish warming up
        for n in args.levels:
            print(f"{n} concurrent calls…", flush=True)
            try:
                level = rig.peer.run(
                    run_level(rig.peer, n, question, meter, DEMO_DIALLED_NUMBER, wait, generator),
                    timeout_s=LEVEL_TIMEOUT_S,
                )
            except TimeoutError:
                print(f"  {n} calls did not finish in {LEVEL_TIMEOUT_S:g} s", flush=True)
                level = _timed_out(n)
            if levels and levels[0].calls == 1 and levels[0].delays_s:
                wait = levels[0].delays_s[0]  # a lone call: the waits and nothing else
                level.overhead = percentiles([max(0.0, d - wait) for d in level.delays_s])
            elif n == 1 and level.delays_s:
                wait = level.delays_s[0]
                level.overhead = percentiles([0.0])
            print("  " + level.model_dump_json(exclude={"delays_s"}), flush=True)
            levels.append(level)
            _write(args.out, host, args, wait, levels)  # what is measured is kept, level by level
            time.sleep(3)
    result = _write(args.out, host, args, wait, levels)
    print(summary(result))
    return result


if __name__ == "__main__":
    main()
