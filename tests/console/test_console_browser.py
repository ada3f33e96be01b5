"""The console in a real browser: headless Chromium driven by Playwright against
``hotelvoice api`` (a subprocess, as ``make api`` runs it, with its seeded calls).

The browser tests themselves are TypeScript (``console/tests/browser``, run by Vitest with
playwright-core); this module starts the API and moto, hands the tests the address and the
seeded call ids, and fails with their report. Screenshots land in ``out/console/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from local_mode.demo_calls import demo_call_ids
from local_mode.moto_process import MotoProcess
from tests.api_process import REPO, ApiProcess, free_port
from tests.peers.oidc_provider_peer import OidcProviderPeer

CONSOLE = REPO / "console"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "out" / "console"


def run_vitest(
    config: str, env: dict[str, str], timeout_s: float, files: tuple[str, ...] = ()
) -> None:
    """Vitest with ``config`` in ``console/`` (only ``files``, if named); its report is the
    failure message."""
    vitest = CONSOLE / "node_modules" / ".bin" / "vitest"
    if not vitest.exists():
        pytest.fail("console/node_modules is missing: run `make console` (make test does)")
    done = subprocess.run(
        [str(vitest), "run", "--config", config, "--reporter=verbose", *files],
        cwd=CONSOLE,
        env={**os.environ, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"vitest {config} failed:\n{done.stdout[-8000:]}\n{done.stderr[-3000:]}")


@contextmanager
def console_api(log_dir: Path, port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """``hotelvoice api`` (console included) over a moto of its own; yields its address."""
    if not (CONSOLE / "dist" / "index.html").is_file():
        pytest.fail("the console is not built: run `make console` (make test does)")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium")
    moto = MotoProcess().start()
    url = f"http://127.0.0.1:{port}"
    api = ApiProcess(["--port", str(port), "--aws-endpoint", moto.url], log_dir / "api.log", env)
    try:
        api.start(url)
        yield url
    finally:
        api.kill()
        moto.stop()


def browser_env(url: str) -> dict[str, str]:
    return {
        "CONSOLE_URL": url,
        "CONSOLE_SEEDED": json.dumps(demo_call_ids()),
        "CONSOLE_SCREENSHOTS": str(SCREENSHOTS),
        "CHROMIUM": str(CHROMIUM),
    }


@pytest.fixture(scope="module")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with console_api(tmp_path_factory.mktemp("console"), free_port()) as url:
        yield url


def test_console_in_chromium(console_url: str) -> None:
    """Sign-in, the cross-hotel check, calls and a call, the inbox, German, a tablet, axe."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    files = ("tests/browser/console.test.ts",)
    run_vitest("vitest.browser.config.ts", browser_env(console_url), 600, files)
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    assert shots == [
        "call-tablet.png",
        "call.png",
        "calls.png",
        "dashboard.png",
        "inbox.png",
        "privacy.png",
        "settings-conflict.png",
        "settings.png",
        "sign-in.png",
    ]


def test_sign_in_with_the_openid_provider_and_pkce(tmp_path: Path) -> None:
    """The console signs in at the local OpenID provider peer (authorization code + PKCE);
    the API, configured with that issuer, verifies the token with the provider's keys."""
    port = free_port()
    with OidcProviderPeer() as provider:
        provider.add_public_client("hotelvoice-console", [f"http://127.0.0.1:{port}/console/"])
        provider.add_user("anna", role="staff", hotels=["aurora-berlin"])
        env = {"HOTELVOICE_AUTH_ISSUER": provider.issuer}
        with console_api(tmp_path, port, env) as url:
            files = ("tests/browser/oidc.test.ts",)
            run_vitest("vitest.browser.config.ts", browser_env(url), 300, files)
        assert any(e.get("code_verifier") for e in provider.people.exchanges)
        assert provider.jwks_fetches >= 1  # the API checked the token against the provider
