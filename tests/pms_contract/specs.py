"""Where the PMS vendors' API descriptions live, and which file each vendor's mock serves.

The descriptions are data shared beside the clone (``../shared/pms-specs``), never copied into
the project, so a fresh clone elsewhere has none: the tests that need them skip with a reason
that says how to point them at a copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SPECS_ENV = "HOTELVOICE_PMS_SPECS"
DEFAULT_SPECS_DIR = REPO_ROOT.parent / "shared" / "pms-specs"


@dataclass(frozen=True)
class Vendor:
    """One PMS vendor's mock: its description file and the error body its API answers with.

    ``error_body`` is what the fault proxy sends with an injected status unless a test gives
    its own, so a connector meets the vendor's usual error shape on a 5xx too. None: an empty
    body, as Apaleo's description gives its 5xx (Mews' and OPERA's give their error schema).
    """

    name: str
    mock_file: str
    error_body: dict[str, object] | None


VENDORS: dict[str, Vendor] = {
    "apaleo": Vendor("apaleo", "apaleo/apaleo.mock.json", None),
    "mews": Vendor(
        "mews",
        "mews/mews.mock.json",
        {"Message": "Injected by the fault proxy.", "RequestId": None},
    ),
    "opera": Vendor(
        "opera",
        "opera/opera.mock.json",
        {"type": "about:blank", "title": "Injected by the fault proxy.", "status": 500},
    ),
}


class SpecsMissing(LookupError):
    """The vendors' descriptions are not where we looked; the message says how to fix it."""


def specs_dir() -> Path:
    """The folder holding ``<vendor>/<vendor>.mock.json``: ``$HOTELVOICE_PMS_SPECS`` or the default.

    Raises:
        SpecsMissing: when the folder (or the variable's folder) does not exist.
    """
    configured = os.environ.get(SPECS_ENV)
    folder = Path(configured).expanduser() if configured else DEFAULT_SPECS_DIR
    if not folder.is_dir():
        raise SpecsMissing(f"PMS vendor specs not found at {folder}; set {SPECS_ENV}")
    return folder.resolve()


def mock_file(vendor: str) -> Path:
    """The description Prism serves for ``vendor`` (``apaleo``, ``mews`` or ``opera``).

    Raises:
        SpecsMissing: when the folder or that vendor's file is absent.
    """
    path = specs_dir() / VENDORS[vendor].mock_file
    if not path.is_file():
        raise SpecsMissing(f"PMS vendor spec not found at {path}; set {SPECS_ENV}")
    return path
