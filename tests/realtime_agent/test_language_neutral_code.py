"""The dialogue code is language-neutral: a language's words live in its catalogs only.

Adding a language must be adding catalog files (``test_fallback_languages`` shows it with a
toy language), which only holds while no Python module keeps a table keyed by language or
a word with an accent. The checks read the modules' syntax trees, so docstrings and
comments, which explain with examples, are allowed to quote any language.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from realtime_agent.language import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[2] / "realtime_agent"
LANGUAGE_NEUTRAL = sorted(
    [
        *(ROOT / "fallback").glob("*.py"),
        *(ROOT / "language").glob("*.py"),
        ROOT / "tool_results.py",
    ]
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def language_tables(source: str) -> list[str]:
    """What in ``source`` is language data in code: readable, one line per finding."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    languages = set(SUPPORTED_LANGUAGES)
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if keys & languages:
                findings.append(f"line {node.lineno}: a table keyed by language {sorted(keys)}")
        elif isinstance(node, ast.Compare):
            constants = [
                c.value
                for c in [node.left, *node.comparators]
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ]
            if set(constants) & languages:
                findings.append(f"line {node.lineno}: a branch on a language {constants}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and len(node.value.strip()) > 1  # a letter ("ß" -> "ss") is script, not a word
            and any(ch.isalpha() and not ch.isascii() for ch in node.value)
        ):
            findings.append(f"line {node.lineno}: a word of some language {node.value!r}")
    return findings


@pytest.mark.parametrize("path", LANGUAGE_NEUTRAL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_module_holds_no_language_data(path: Path) -> None:
    assert language_tables(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'MONTHS = {"de": ("januar",), "fr": ("janvier",)}',
        'def f(language):\n    if language == "it":\n        return 1',
        'JOINER = " con "\nWORD = "März"',
    ],
)
def test_the_check_finds_language_data(source: str) -> None:
    assert language_tables(source)


def test_docstrings_may_quote_any_language() -> None:
    source = 'def f():\n    """Ä "de" -> März."""\n    return {"n": 1}'
    assert language_tables(source) == []
