"""The lock files agree with pyproject.toml, and every install uses them with hashes.

``pyproject.toml`` names what each deployable needs (core + an extra); ``locks/<extra>.txt``
pins every package under it, with the hash of each file (``make lock``). A pin changed,
added or removed in ``pyproject.toml`` without ``make lock`` leaves the two disagreeing, and
an install would then test or ship something else than was locked. Each check here also runs
against a broken copy, to show it would see the disagreement.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
LOCKED_EXTRAS = ("dev", "functions", "functions-tts", "agent", "asr")
PROJECT = "hotelvoice"
FROM_PYPROJECT = f"{PROJECT} (pyproject.toml)"

_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(==\s*([^\s;]+))?")
_LOCK_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def direct_pins(project: dict, extra: str) -> dict[str, str | None]:
    """What ``pip install .[extra]`` asks for directly: name → pinned version (None: unpinned).

    The core dependencies and the extra's, following the project's references to its own
    extras (``hotelvoice[functions,agent]`` in ``dev``).
    """
    pins: dict[str, str | None] = {}
    pending, seen = [extra], set()
    for requirement in project["dependencies"]:
        match = _REQUIREMENT.match(requirement)
        assert match, requirement
        pins[_name(match.group(1))] = match.group(4)
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for requirement in project["optional-dependencies"][current]:
            match = _REQUIREMENT.match(requirement)
            assert match, requirement
            if _name(match.group(1)) == PROJECT:
                pending += [e.strip() for e in (match.group(2) or "[]")[1:-1].split(",") if e]
                continue
            pins[_name(match.group(1))] = match.group(4)
    return pins


def lock_entries(text: str) -> dict[str, dict]:
    """Each locked package: its version, how many hashes, and what it is there for (``via``)."""
    entries: dict[str, dict] = {}
    current: dict | None = None
    in_via = False
    for line in text.splitlines():
        entry = _LOCK_ENTRY.match(line)
        if entry:
            current = {"version": entry.group(2), "hashes": 0, "via": []}
            entries[_name(entry.group(1))] = current
            in_via = False
            continue
        stripped = line.strip()
        if current is None:
            continue
        if stripped.startswith("--hash=sha256:"):
            current["hashes"] += 1
        elif stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                current["via"].append(rest)
        elif in_via and stripped.startswith("#   "):
            current["via"].append(stripped.removeprefix("#").strip())
    return entries


def lock_problems(project: dict, extra: str, lock_text: str) -> list[str]:
    """Where ``locks/<extra>.txt`` and ``pyproject.toml`` disagree, or the lock is unchecked."""
    problems = []
    if "make lock" not in lock_text.split("\n", 3)[1]:
        problems.append(f"{extra}: not written by `make lock`")
    wanted = direct_pins(project, extra)
    locked = lock_entries(lock_text)
    for name, version in sorted(wanted.items()):
        if version is None:
            problems.append(f"{extra}: {name} is not pinned in pyproject.toml")
        elif name not in locked:
            problems.append(f"{extra}: {name}=={version} is missing from the lock")
        elif locked[name]["version"] != version:
            problems.append(
                f"{extra}: pyproject.toml pins {name}=={version}, "
                f"the lock {locked[name]['version']}"
            )
    for name, entry in sorted(locked.items()):
        if entry["hashes"] == 0:
            problems.append(f"{extra}: {name} has no hash")
        if FROM_PYPROJECT in entry["via"] and name not in wanted:
            problems.append(f"{extra}: {name} is locked for pyproject.toml, which no longer has it")
    return problems


def _lock(extra: str) -> str:
    return (REPO / "locks" / f"{extra}.txt").read_text()


@pytest.mark.parametrize("extra", LOCKED_EXTRAS)
def test_each_lock_agrees_with_pyproject(extra: str) -> None:
    assert lock_problems(PYPROJECT, extra, _lock(extra)) == []


def _with_pin(project: dict, extra: str, old: str, new: str) -> dict:
    changed = {**project, "optional-dependencies": dict(project["optional-dependencies"])}
    changed["optional-dependencies"][extra] = [
        new if r == old else r for r in project["optional-dependencies"][extra]
    ]
    return changed


def test_the_check_sees_a_pin_moved_added_or_dropped_without_relocking() -> None:
    fastapi = next(r for r in PYPROJECT["optional-dependencies"]["asr"] if r.startswith("fastapi"))
    moved = _with_pin(PYPROJECT, "asr", fastapi, "fastapi==0.1.0")
    assert "asr: pyproject.toml pins fastapi==0.1.0, the lock " in " ".join(
        lock_problems(moved, "asr", _lock("asr"))
    )
    added = _with_pin(PYPROJECT, "asr", fastapi, "left-pad==1.0")
    found = lock_problems(added, "asr", _lock("asr"))
    assert "asr: left-pad==1.0 is missing from the lock" in found
    assert "asr: fastapi is locked for pyproject.toml, which no longer has it" in found
    unhashed = re.sub(r" \\\n\s+--hash=sha256:[0-9a-f]+", "", _lock("asr"))
    assert "asr: uvicorn has no hash" in lock_problems(PYPROJECT, "asr", unhashed)


def test_every_install_takes_its_lock_with_hashes() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "pip install -q --require-hashes -r locks/dev.txt" in makefile
    assert "pip install -q --no-deps -e ." in makefile
    assert "cp locks/functions.txt build/lambda/requirements.txt" in makefile  # sam build's
    assert "cp locks/functions-tts.txt build/lambda-tts/requirements.txt" in makefile
    images = (("realtime_agent/Dockerfile", "agent"), ("gpu_asr/Dockerfile", "asr"))
    for dockerfile, extra in images:
        text = (REPO / dockerfile).read_text()
        assert f"pip install --require-hashes -r locks/{extra}.txt" in text, dockerfile
        assert "pip install --no-deps ." in text, dockerfile
