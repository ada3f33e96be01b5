"""Caller scenarios as data: loading, placeholders, and deterministic checks.

A scenario file (``<language>.yaml``) is a list of scenarios. Each scenario plays a call
through the production receptionist (``run_scripted_call``) and checks, turn by turn, the
tool calls and their arguments, the facts in the reply, and at the end the call's state.
See README.md in this folder for the format.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import yaml
from babel.dates import format_date
from peers.livekit_server_peer import BUSY_HERE
from scenario_report import LIVEKIT_KEY, LIVEKIT_SECRET

from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.pms.demo_hotel import reservations
from hotelvoice.settings import get_settings
from realtime_agent.call_script import Press, Say, Silence, Step
from realtime_agent.language import SUPPORTED_LANGUAGES
from realtime_agent.language.vocabularies import vocabulary
from realtime_agent.room_actions import RoomActions
from realtime_agent.scripted_call import CALLER_IDENTITY, run_scripted_call
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.transcript import CallTranscript, TranscriptTurn

HERE = Path(__file__).parent
LANGUAGES = SUPPORTED_LANGUAGES
GUARD_RAIL_TAG = "guard-rail"
MAX_REPLY_WORDS = 40
"""The phone-sized bound on one agent utterance: 40 words, about 16 seconds of speech at the
150 words a minute of a calm phone voice. A caller cannot hold more in mind, and cannot
interrupt a reply they cannot predict the end of."""
SOLD_OUT_OFFSET = 46
"""A night the demo hotel is fully booked (``is_sold_out_night``)."""
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:([+-]\d+))?(?:\.([a-z_]+))?\}")


@dataclass(frozen=True)
class Scenario:
    """One caller scenario of one language file."""

    id: str
    language: str
    description: str
    tags: tuple[str, ...]
    steps: list[dict[str, Any]]
    final: dict[str, Any]
    line: dict[str, Any] = field(default_factory=dict)
    start_language: str | None = None
    caller: str | None = None
    xfail: str | None = None

    @property
    def guard_rail(self) -> bool:
        """Guard-rail scenarios must all pass, whatever the language's pass rate."""
        return GUARD_RAIL_TAG in self.tags


def scenario_files(language: str) -> list[Path]:
    """``<language>.yaml``, then the topic files ``<language>/*.yaml`` in name order."""
    main = HERE / f"{language}.yaml"
    return ([main] if main.exists() else []) + sorted((HERE / language).glob("*.yaml"))


def load_scenarios(language: str) -> list[Scenario]:
    """The scenarios of one language, file by file, in file order; ids unique per language."""
    raw = [
        item
        for path in scenario_files(language)
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ]
    ids = [item["id"] for item in raw]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{language}: scenario ids used twice: {duplicates}")
    return [
        Scenario(
            id=item["id"],
            language=language,
            description=item.get("description", ""),
            tags=tuple(item.get("tags", [])),
            steps=item["steps"],
            final=item.get("final", {}),
            line=item.get("line", {}),
            start_language=item.get("start_language"),
            caller=item.get("caller"),
            xfail=item.get("xfail"),
        )
        for item in raw
    ]


class Facts:
    """The seeded demo hotel's facts, relative to the day the suite runs."""

    def __init__(self, today: date, language: str) -> None:
        self.today = today
        self.language = language
        bookings = [
            r for r in reservations(today) if r["reservation"]["arrival"] > today.isoformat()
        ]
        confirmed = [r for r in bookings if r["reservation"]["status"] == "confirmed"]
        self.booking = confirmed[0]
        self.other = confirmed[1]
        self.upcoming = confirmed
        """``{upcoming+N.*}``: the N-th upcoming confirmed booking, for a call that changes or
        cancels it (one scenario each, from N = 2: the suite shares one PMS)."""
        self.cancelled = next(
            r for r in reservations(today) if r["reservation"]["status"] == "cancelled"
        )
        units = vocabulary(language).numbers.units
        self._digit_words: dict[int, str] = {}
        for word, digit in units.items():
            self._digit_words.setdefault(digit, word)

    def render(self, value: Any) -> Any:
        """Fill ``{d+40}``, ``{d+40.month}``, ``{booking.code}``… in strings, lists, dicts."""
        if isinstance(value, str):
            return _PLACEHOLDER.sub(self._fill, value)
        if isinstance(value, list):
            return [self.render(v) for v in value]
        if isinstance(value, dict):
            return {k: self.render(v) for k, v in value.items()}
        return value

    def _fill(self, match: re.Match[str]) -> str:
        name, offset, attribute = match.group(1), match.group(2), match.group(3)
        if name in ("d", "soldout"):
            days = SOLD_OUT_OFFSET if name == "soldout" else int(offset or 0)
            if name == "soldout" and offset:
                days += int(offset)
            return self._day(self.today + timedelta(days=days), attribute)
        if name == "weekend":  # the Friday of "this weekend" (on a Saturday: yesterday)
            weekday = self.today.weekday()
            friday = self.today + timedelta(days=5 if weekday == 6 else 4 - weekday)
            return self._day(friday + timedelta(days=int(offset or 0)), attribute)
        if name == "upcoming":
            return self._guest(self.upcoming[int(offset or 0)], attribute or "code")
        if name in ("booking", "other", "cancelled"):
            return self._guest(getattr(self, name), attribute or "code")
        raise KeyError(f"unknown placeholder {match.group()}")

    def _day(self, day: date, attribute: str | None) -> str:
        match attribute:
            case None | "iso":
                return day.isoformat()
            case "day":
                return str(day.day)
            case "month":
                return format_date(day, "MMMM", locale=self.language)
            case "weekday":
                return format_date(day, "EEEE", locale=self.language)
            case "year":
                return str(day.year)
        raise KeyError(f"unknown date attribute {attribute}")

    def _guest(self, record: dict[str, Any], attribute: str) -> str:
        reservation = record["reservation"]
        match attribute:
            case "code":
                return reservation["confirmation_code"]
            case "code_spoken":
                return " ".join(
                    self._digit_words[int(c)] if c.isdigit() else c.lower()
                    for c in reservation["confirmation_code"]
                )
            case "last_name":
                return reservation["guest_last_name"]
            case "first_name":
                return reservation["guest_first_name"]
            case "arrival" | "departure":
                return reservation[attribute]
            case "phone":
                return record["guest_phone"]
        raise KeyError(f"unknown guest attribute {attribute}")


def steps_of(scenario: Scenario, facts: Facts) -> list[Step]:
    """What the caller does, placeholders filled."""
    steps: list[Step] = []
    for step in scenario.steps:
        if "say" in step:
            steps.append(Say(facts.render(step["say"])))
        elif "press" in step:
            steps.append(Press(str(step["press"])))
        elif "silence" in step:
            steps.append(Silence())
        else:
            raise ValueError(f"{scenario.id}: a step needs say, press or silence: {step}")
    return steps


def check(scenario: Scenario, facts: Facts, transcript: CallTranscript) -> list[str]:
    """Every expectation that does not hold, as a readable line (empty: the scenario passed)."""
    problems: list[str] = []
    replies = _replies_per_step(transcript)
    for n, step in enumerate(scenario.steps):
        expect = facts.render(step.get("expect", {}))
        if not expect:
            continue
        if n >= len(replies):
            problems.append(f"step {n + 1}: the call ended before this step")
            continue
        problems += [f"step {n + 1}: {p}" for p in _check_turn(expect, replies[n])]
    problems += _check_final(facts.render(scenario.final), transcript)
    return problems


def reply_words(text: str) -> int:
    """Words as a listener hears them: a spelled code's letters count one each."""
    return len(text.split())


def longest_reply(transcript: CallTranscript) -> int:
    """Words in the agent's longest utterance of the call."""
    return max((reply_words(t.text) for t in transcript.turns if t.role == "agent"), default=0)


@dataclass
class _Reply:
    """The agent's words and tool calls after one caller step."""

    text: str
    tools: list[Any]


def _replies_per_step(transcript: CallTranscript) -> list[_Reply]:
    """Group agent turns by the caller step before them (the greeting is not a step)."""
    groups: list[_Reply] = []
    current: _Reply | None = None
    for turn in transcript.turns:
        if turn.role == "caller":
            current = _Reply("", [])
            groups.append(current)
        elif current is not None:
            _add(current, turn)
    return groups


def _add(reply: _Reply, turn: TranscriptTurn) -> None:
    reply.text = f"{reply.text} {turn.text}".strip()
    reply.tools.extend(turn.tool_calls)


def _check_turn(expect: dict[str, Any], reply: _Reply) -> list[str]:
    problems = []
    names = [t.name for t in reply.tools]
    if "tool" in expect:
        wanted = expect["tool"]
        wanted = {"name": wanted} if isinstance(wanted, str) else wanted
        matching = [t for t in reply.tools if t.name == wanted["name"]]
        if not matching:
            problems.append(f"expected a {wanted['name']} call, got {names or 'no tool call'}")
        else:
            for key, value in (wanted.get("arguments") or {}).items():
                got = matching[0].arguments.get(key)
                if _norm(got) != _norm(value):
                    problems.append(f"{wanted['name']}.{key} = {got!r}, expected {value!r}")
    if expect.get("no_tool") and names:
        problems.append(f"expected no tool call, got {names}")
    for name in _as_list(expect.get("not_tool")):
        if name in names:
            problems.append(f"{name} must not be called here")
    text = reply.text.lower()
    for phrase in _as_list(expect.get("says")):
        if str(phrase).lower() not in text:
            problems.append(f"reply lacks {phrase!r}: {reply.text!r}")
    for phrase in _as_list(expect.get("not_says")):
        if str(phrase).lower() in text:
            problems.append(f"reply must not say {phrase!r}: {reply.text!r}")
    if expect.get("says_tool_facts"):
        problems += _tool_facts_missing(reply)
    return problems


def _tool_facts_missing(reply: _Reply) -> list[str]:
    """Prices and dates come only from tools: every spoken fact of the result is in the reply."""
    problems = []
    if not reply.tools:
        return ["expected tool facts, but no tool was called"]
    result = json.loads(reply.tools[-1].result)
    facts = [
        v
        for k, v in result.items()
        if k.endswith("_spoken") and k != "total_spoken" and isinstance(v, str)
    ]
    for offer in result.get("offers", []):
        facts += [offer["room_type"], offer.get("total_spoken") or offer["total_price"]]
    if result.get("found"):
        facts.append(result["confirmation_code"])
    for fact in facts:
        if fact.lower() not in reply.text.lower():
            problems.append(f"reply lacks the tool's fact {fact!r}: {reply.text!r}")
    return problems


def _check_final(final: dict[str, Any], transcript: CallTranscript) -> list[str]:
    problems = []
    if "outcome" in final and transcript.outcome.value != final["outcome"]:
        problems.append(f"outcome {transcript.outcome.value}, expected {final['outcome']}")
    if "language" in final and transcript.final_language != final["language"]:
        problems.append(f"language {transcript.final_language}, expected {final['language']}")
    if "verified" in final and transcript.verified_reservation != final["verified"]:
        problems.append(
            f"verified {transcript.verified_reservation!r}, expected {final['verified']!r}"
        )
    if "transfers" in final:
        got = [{"reason": t.reason, "succeeded": t.succeeded} for t in transcript.transfers]
        if got != final["transfers"]:
            problems.append(f"transfers {got}, expected {final['transfers']}")
    if "messages" in final and len(transcript.messages) != final["messages"]:
        problems.append(f"{len(transcript.messages)} messages, expected {final['messages']}")
    if "bookings" in final:  # what the call did in the PMS: [{action, code}], each once
        got = [{"action": b.action, "code": b.confirmation_code} for b in transcript.bookings]
        if got != final["bookings"]:
            problems.append(f"bookings {got}, expected {final['bookings']}")
    if "requests" in final:  # left for the front desk: [category], each once, with a reference
        got_requests = [r.category for r in transcript.requests]
        if got_requests != final["requests"]:
            problems.append(f"requests {got_requests}, expected {final['requests']}")
        problems += [
            f"request without a reference: {r}" for r in transcript.requests if not r.reference
        ]
    # Everything said, looked up, passed on or noted; not the timings or the call id, whose
    # digits would match a card number's now and then ("'4111' appears": 1203.41118 ms).
    everything = transcript.model_dump_json(exclude=_NOT_SAID).lower()
    for phrase in _as_list(final.get("never_says")):
        if str(phrase).lower() in everything:
            problems.append(f"{phrase!r} appears in the call")
    tools = [c.name for t in transcript.turns for c in t.tool_calls]
    for name in _as_list(final.get("tools")):
        if name not in tools:
            problems.append(f"{name} was never called (calls: {tools})")
    for name in _as_list(final.get("never_tools")):
        if name in tools:
            problems.append(f"{name} must never be called")
    if "booked" in final and len(bookings_made(transcript)) != final["booked"]:
        problems.append(
            f"booked {bookings_made(transcript)}, expected {final['booked']} booking(s)"
        )
    return problems


def bookings_made(transcript: CallTranscript) -> list[str]:
    """The confirmation codes ``book_room`` booked (a read-back or a repeat books nothing new)."""
    codes: list[str] = []
    for call in (c for t in transcript.turns for c in t.tool_calls if c.name == "book_room"):
        try:
            result = json.loads(call.result) if call.ok else {}
        except ValueError:
            result = {}
        code = result.get("confirmation_code") if result.get("booked") else None
        if code and code not in codes:
            codes.append(code)
    return codes


_NOT_SAID: Final = {
    "call_id": True,
    "turns": {
        "__all__": {
            "started_ms": True,
            "duration_ms": True,
            "tool_calls": {"__all__": {"duration_ms": True}},
        }
    },
}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _norm(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


async def play(
    scenario: Scenario, plane: Any, livekit_peer: Any
) -> tuple[list[str], CallTranscript]:
    """Play one scenario through the production receptionist: problems found, transcript."""
    facts = Facts(plane.today, scenario.language)
    call_id = f"scn-{uuid.uuid4().hex[:12]}"
    livekit_peer.add_sip_caller(call_id, CALLER_IDENTITY)
    if scenario.line.get("transfer") == "busy":
        livekit_peer.fail_next_transfer(BUSY_HERE)
    async with RoomActions(livekit_peer.url, LIVEKIT_KEY, LIVEKIT_SECRET) as line:
        transcript = await run_scripted_call(
            steps_of(scenario, facts),
            settings=get_settings(),
            credentials=LocalServiceToken(),
            today=plane.today,
            dialled_number=DEMO_DIALLED_NUMBER,
            call_id=call_id,
            caller_number=facts.render(scenario.caller) if scenario.caller else None,
            language=scenario.start_language,
            report_events=False,
            telephony=line,
        )
    problems = check(scenario, facts, transcript)
    if problems:
        problems.append("transcript:\n" + transcript.render())
    return problems, transcript
