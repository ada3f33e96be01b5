"""Each function's artifact holds what it imports and not the voices' SDKs it never uses.

Two artifacts (``make lambda-package``): ``build/lambda`` with ``locks/functions.txt`` for
every function but TTS, ``build/lambda-tts`` with ``locks/functions-tts.txt`` for the TTS
function. A function on the lean artifact must import without the TTS vendors' SDKs and
numpy: each handler is imported in a fresh interpreter where importing them fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from local_mode.template import load_template

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()
VOICE_SDKS = {"elevenlabs", "azure-cognitiveservices-speech", "espeakng-loader", "numpy"}
"""What only the TTS function needs (by distribution name, as the locks name them)."""
BLOCKED_MODULES = ("elevenlabs", "azure", "espeakng_loader", "numpy")
ARTIFACT_LOCKS = {"build/lambda": "functions", "build/lambda-tts": "functions-tts"}

_IMPORT_WITHOUT_VOICES = """
import importlib, importlib.abc, sys
blocked = set(sys.argv[2].split(","))
class NoVoices(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"{name} is not in this artifact")
sys.meta_path.insert(0, NoVoices())
importlib.import_module(sys.argv[1])
"""


def _code_uri(logical_id: str) -> str:
    props = TEMPLATE.resources[logical_id]["Properties"]
    return props.get("CodeUri", TEMPLATE.body["Globals"]["Function"]["CodeUri"])


def _locked(extra: str) -> set[str]:
    text = (REPO / "locks" / f"{extra}.txt").read_text()
    return {m.lower() for m in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.M)}


def _imports_without_voices(module: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-central-1"}
    return subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_VOICES, module, ",".join(BLOCKED_MODULES)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_only_the_tts_function_gets_the_artifact_with_the_voices() -> None:
    uris = {f.logical_id: _code_uri(f.logical_id) for f in TEMPLATE.functions()}
    assert set(uris.values()) <= set(ARTIFACT_LOCKS)
    assert [lid for lid, uri in uris.items() if uri == "build/lambda-tts"] == ["TtsFunction"]
    assert not VOICE_SDKS & _locked(ARTIFACT_LOCKS["build/lambda"])
    assert _locked(ARTIFACT_LOCKS["build/lambda-tts"]) >= VOICE_SDKS


@pytest.mark.parametrize(
    "function",
    [f for f in TEMPLATE.functions() if _code_uri(f.logical_id) == "build/lambda"],
    ids=lambda f: f.logical_id,
)
def test_a_function_on_the_lean_artifact_imports_without_the_voices(function) -> None:
    done = _imports_without_voices(function.module_and_attr[0])
    assert done.returncode == 0, done.stderr[-1500:]


def test_the_check_sees_a_function_that_needs_a_voice_sdk() -> None:
    done = _imports_without_voices("functions.tts.handler")
    assert done.returncode != 0
    assert "is not in this artifact" in done.stderr
