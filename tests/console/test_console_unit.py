"""The console's own unit tests (Vitest), its type check, and its generated API types.

``console/src/api/schema.d.ts`` is generated from ``docs/openapi.json``; a route or model
change that is not regenerated would let the console call an API that no longer exists.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.console.test_console_browser import CONSOLE, run_vitest


def test_unit_tests_pass() -> None:
    """PKCE, the session, the API client's errors, routes, catalogs (no server, no browser)."""
    run_vitest("vitest.config.ts", {}, timeout_s=300)


def test_generated_api_types_match_the_openapi_document(tmp_path: Path) -> None:
    fresh = tmp_path / "schema.d.ts"
    done = subprocess.run(
        [
            str(CONSOLE / "node_modules" / ".bin" / "openapi-typescript"),
            "../docs/openapi.json",
            "-o",
            str(fresh),
        ],
        cwd=CONSOLE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    committed = (CONSOLE / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8") == committed, (
        "console/src/api/schema.d.ts is stale: run `npm run --prefix console gen:api`"
    )


def test_console_type_checks() -> None:
    """``tsc``: the screens use the generated types as they are."""
    done = subprocess.run(
        [str(CONSOLE / "node_modules" / ".bin" / "tsc"), "--noEmit"],
        cwd=CONSOLE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]
