"""Print the Lambda artifact's requirements.txt from pyproject.toml (core + ``functions``).

One source of pins: ``sam build`` installs exactly what the tests ran with.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def lambda_requirements() -> list[str]:
    """The core dependencies plus the ``functions`` extra."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["functions"]]


if __name__ == "__main__":
    print("\n".join(lambda_requirements()))
