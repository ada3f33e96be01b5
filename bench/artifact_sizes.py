"""The Lambda artifacts' sizes, as ``sam build`` makes them for the template's runtime.

Each artifact (``make lambda-package``: ``build/lambda`` and ``build/lambda-tts``) is our
code plus its lock file's wheels. The wheels are installed here for the template's runtime
and architecture (Python 3.12 on arm64: the Linux wheels Lambda runs, not this machine's),
without compiling bytecode, as ``sam build`` unpacks them. Lambda refuses a function whose
unzipped code and layers pass 250 MiB; the zip is what each deployment uploads.

Needs PyPI (or pip's configured index): without it, the section says why and the rest of
``make bench`` goes on.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import matplotlib
from pydantic import BaseModel

from bench.stats import save_figure, write_model_json
from local_mode.template import load_template

REPO = Path(__file__).resolve().parents[1]
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
"""Lambda's quota for a function's unzipped deployment package and layers together."""
ARTIFACTS = {"build/lambda": "functions", "build/lambda-tts": "functions-tts"}
"""Each artifact's folder (the template's ``CodeUri``) and its lock (``locks/<name>.txt``)."""
OUR_CODE = ("hotelvoice", "functions")
VOICE_SDKS = ("elevenlabs", "azure", "espeakng_loader", "numpy")
"""What only the TTS function needs: the PMS function's artifact must hold none of it."""


class Artifact(BaseModel):
    """One artifact's size, its heaviest packages and who deploys it."""

    code_uri: str
    lock: str
    functions: list[str]
    unzipped_bytes: int
    zipped_bytes: int
    share_of_limit: float
    """Unzipped size over Lambda's 250 MiB quota."""
    largest_mib: dict[str, float]
    voice_sdks: list[str]
    """The TTS vendors' SDKs (and numpy) found in it."""


class ArtifactSizes(BaseModel):
    """The artifacts section of ``make bench``; ``error`` when the wheels could not be had."""

    runtime: str
    architecture: str
    artifacts: list[Artifact]
    error: str | None = None


def _platforms(architecture: str) -> list[str]:
    """The wheel tags Lambda's Amazon Linux 2023 (glibc 2.34) runs for the architecture."""
    machine = {"arm64": "aarch64", "x86_64": "x86_64"}[architecture]
    tags = ("manylinux2014", "manylinux_2_17", "manylinux_2_28", "manylinux_2_34")
    return [f"{tag}_{machine}" for tag in tags]


def _install(lock: Path, target: Path, runtime: str, architecture: str) -> None:
    version = runtime.removeprefix("python")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--no-deps"]
    command += ["--only-binary=:all:", "--require-hashes", "--implementation", "cp"]
    command += ["--python-version", version, "--target", str(target), "-r", str(lock)]
    for platform in _platforms(architecture):
        command += ["--platform", platform]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "pip failed")


def _copy_our_code(target: Path) -> None:
    for package in OUR_CODE:
        for path in (REPO / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                destination = target / path.relative_to(REPO)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(path.read_bytes())


def _measure(root: Path) -> tuple[int, int, dict[str, float]]:
    """Unzipped bytes, zipped bytes (deflated, as the deployment's zip) and the top folders."""
    files = [p for p in sorted(root.rglob("*")) if p.is_file()]
    unzipped = sum(p.stat().st_size for p in files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in files:
            archive.write(path, path.relative_to(root))
    tops: dict[str, int] = {}
    for path in files:
        top = path.relative_to(root).parts[0]
        if top.endswith((".dist-info", ".data")):
            continue
        tops[top] = tops.get(top, 0) + path.stat().st_size
    largest = sorted(tops.items(), key=lambda kv: kv[1], reverse=True)[:8]
    return unzipped, len(buffer.getvalue()), {k: round(v / 2**20, 1) for k, v in largest}


def run_artifact_sizes() -> ArtifactSizes:
    """Install each artifact for the template's runtime and measure it."""
    template = load_template()
    runtime = template.body["Globals"]["Function"]["Runtime"]
    architecture = template.body["Globals"]["Function"]["Architectures"][0]
    default_uri = template.body["Globals"]["Function"]["CodeUri"]
    users: dict[str, list[str]] = {uri: [] for uri in ARTIFACTS}
    for function in template.functions():
        uri = template.resources[function.logical_id]["Properties"].get("CodeUri", default_uri)
        users.setdefault(uri, []).append(function.logical_id)
    artifacts = []
    for uri, lock in ARTIFACTS.items():
        with tempfile.TemporaryDirectory(prefix="artifact-") as folder:
            root = Path(folder)
            try:
                _install(REPO / "locks" / f"{lock}.txt", root, runtime, architecture)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                return ArtifactSizes(
                    runtime=runtime, architecture=architecture, artifacts=artifacts, error=str(exc)
                )
            _copy_our_code(root)
            unzipped, zipped, largest = _measure(root)
            artifacts.append(
                Artifact(
                    code_uri=uri,
                    lock=f"locks/{lock}.txt",
                    functions=sorted(users.get(uri, [])),
                    unzipped_bytes=unzipped,
                    zipped_bytes=zipped,
                    share_of_limit=round(unzipped / LAMBDA_UNZIPPED_LIMIT, 3),
                    largest_mib=largest,
                    voice_sdks=[m for m in VOICE_SDKS if (root / m).exists()],
                )
            )
    return ArtifactSizes(runtime=runtime, architecture=architecture, artifacts=artifacts)


def artifact_summary(sizes: ArtifactSizes) -> str:
    """Lines a person reads: each artifact's size against the quota, and what is in it."""
    lines = [f"Lambda artifacts ({sizes.runtime}, {sizes.architecture}; quota 250 MiB unzipped):"]
    for a in sizes.artifacts:
        lines.append(
            f"  {a.code_uri:18} {a.unzipped_bytes / 2**20:6.1f} MiB unzipped "
            f"({a.share_of_limit:.0%} of the quota), {a.zipped_bytes / 2**20:5.1f} MiB zipped; "
            f"voice SDKs: {', '.join(a.voice_sdks) or 'none'}; for {', '.join(a.functions)}"
        )
        lines.append("    largest: " + ", ".join(f"{k} {v}" for k, v in a.largest_mib.items()))
    if sizes.error:
        lines.append(f"  not measured: {sizes.error}")
    return "\n".join(lines)


def write_artifact_chart(sizes: ArtifactSizes, path: Path) -> None:
    """One bar per artifact, split into its largest packages, against Lambda's quota."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 1.2 * max(1, len(sizes.artifacts)) + 1.6))
    for row, artifact in enumerate(sizes.artifacts):
        left = 0.0
        for name, mib in artifact.largest_mib.items():
            ax.barh(row, mib, left=left, edgecolor="white")
            if mib > 18:  # room for its name
                ax.text(left + mib / 2, row, name, ha="center", va="center", fontsize=7)
            left += mib
        rest = artifact.unzipped_bytes / 2**20 - left
        ax.barh(row, rest, left=left, color="#bbbbbb", edgecolor="white")
        mib, zipped = artifact.unzipped_bytes / 2**20, artifact.zipped_bytes / 2**20
        ax.text(
            mib + 3,
            row,
            f"{mib:.0f} MiB ({zipped:.0f} zipped)",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(sizes.artifacts)), [a.code_uri for a in sizes.artifacts])
    ax.axvline(250, color="red", linestyle="--", label="Lambda's 250 MiB unzipped quota")
    ax.set_xlim(0, 300)
    ax.set_xlabel("MiB unzipped (largest packages named; grey: the rest)")
    ax.set_title(
        f"Lambda artifacts as sam build makes them ({sizes.runtime}, {sizes.architecture})"
    )
    ax.legend(loc="lower right", fontsize=8)
    save_figure(fig, path)


def write_artifact_json(sizes: ArtifactSizes, path: Path) -> None:
    """``artifacts.json``."""
    write_model_json(sizes, path)
