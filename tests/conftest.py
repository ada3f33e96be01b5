"""Shared fixtures: one local control plane (moto server + template resources) per session.

Starting moto, creating the template's resources and seeding the demo hotel takes a few
seconds, so tests share one plane and keep apart by using their own call ids.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from local_mode.control_plane import LocalControlPlane


@pytest.fixture(scope="session")
def plane() -> Iterator[LocalControlPlane]:
    saved = dict(os.environ)
    control_plane = LocalControlPlane(quiet=False).start()
    url = control_plane.serve()
    os.environ["HOTELVOICE_API_URL"] = url
    get_settings.cache_clear()
    yield control_plane
    control_plane.stop()
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def api_url(plane: LocalControlPlane) -> str:
    return os.environ["HOTELVOICE_API_URL"]


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def service_headers(plane: LocalControlPlane) -> dict[str, str]:
    return bearer(plane.token(Role.SERVICE, subject="realtime-agent"))


@pytest.fixture(scope="session")
def staff_headers(plane: LocalControlPlane) -> dict[str, str]:
    return bearer(plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="front-desk"))
