"""The artifact-size section measures the tree it is given and says when it could not.

Installing the real wheels needs PyPI and half a minute (``make bench`` does it); here, the
measuring on a small tree whose sizes are known, the wheel tags for Lambda's platform, and
the report with and without an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.artifact_sizes import (
    Artifact,
    ArtifactSizes,
    _install,
    _measure,
    _platforms,
    artifact_summary,
    write_artifact_chart,
    write_artifact_json,
)


def test_the_tree_is_measured_unzipped_and_zipped_by_top_folder(tmp_path: Path) -> None:
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "a.py").write_bytes(b"x = 1\n" * 200_000)  # 1.2 MB, compresses well
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "b.so").write_bytes(bytes(range(256)) * 400)
    (tmp_path / "small-1.0.dist-info").mkdir()
    (tmp_path / "small-1.0.dist-info" / "RECORD").write_text("small/b.so\n")
    unzipped, zipped, largest = _measure(tmp_path)
    assert unzipped == 1_200_000 + 102_400 + len("small/b.so\n")
    assert zipped < unzipped / 4
    assert list(largest) == ["big", "small"]  # metadata counted in the total, not named
    assert largest["big"] == round(1_200_000 / 2**20, 1)


def test_the_wheels_are_lambdas_linux_ones_for_the_architecture() -> None:
    assert "manylinux_2_34_aarch64" in _platforms("arm64")
    assert all(tag.endswith("_x86_64") for tag in _platforms("x86_64"))


def test_a_lock_that_cannot_be_installed_is_an_error_not_a_size(tmp_path: Path) -> None:
    lock = tmp_path / "broken.txt"
    lock.write_text("no-such-package-hotelvoice==0.0.1 --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(RuntimeError):
        _install(lock, tmp_path / "target", "python3.12", "arm64")


def test_the_report_names_each_artifact_against_the_quota(tmp_path: Path) -> None:
    lean = Artifact(
        code_uri="build/lambda",
        lock="locks/functions.txt",
        functions=["PmsFunction"],
        unzipped_bytes=70 * 2**20,
        zipped_bytes=30 * 2**20,
        share_of_limit=0.28,
        largest_mib={"botocore": 20.8},
        voice_sdks=[],
    )
    sizes = ArtifactSizes(runtime="python3.12", architecture="arm64", artifacts=[lean])
    text = artifact_summary(sizes)
    assert "70.0 MiB unzipped (28% of the quota)" in text
    assert "voice SDKs: none; for PmsFunction" in text
    write_artifact_json(sizes, tmp_path / "artifacts.json")
    write_artifact_chart(sizes, tmp_path / "artifacts.png")
    assert ArtifactSizes.model_validate_json((tmp_path / "artifacts.json").read_text()) == sizes
    assert (tmp_path / "artifacts.png").stat().st_size > 10_000
    failed = sizes.model_copy(update={"artifacts": [], "error": "no index reachable"})
    assert "not measured: no index reachable" in artifact_summary(failed)
