"""``make bench``: speech-plane benchmarks (TTS cache, ASR proxy), written to ``out/bench/``.

Not an installed package: run it from the repository root as ``python -m bench``. It plays
the scenario suite and drives the local protocol peers, so it reaches into ``tests/`` the
way pytest does (``tests/`` on ``sys.path``); nothing in the product imports it.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def use_test_peers() -> None:
    """Put ``tests/`` and ``tests/scenarios/`` on the import path, after the repository."""
    for folder in (TESTS, TESTS / "scenarios"):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
