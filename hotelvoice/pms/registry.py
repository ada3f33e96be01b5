"""Which connector serves which hotel: the hotel's configuration decides.

A hotel without a configuration is served by the demo PMS table (which knows only the
seeded hotels: anything else is ``NotFound``). A hotel configured with a connector that is
not built here is refused when its configuration is written (``check_binding``) and, should
one be stored anyway, answered ``Unavailable``: never another PMS's invented rooms.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import time
import weakref
from collections.abc import Callable, Iterator, MutableMapping

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.contracts.hotels import PMS_SECRET_PREFIX, HotelConfig, PmsBinding
from hotelvoice.errors import InvalidRequest, NotFound, Unavailable
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.connector import PmsConnector
from hotelvoice.pms.demo_bookings import DemoPmsConnector
from hotelvoice.settings import Settings, get_settings

ConnectorFactory = Callable[[str, PmsBinding, Settings], PmsConnector]
"""``(hotel_id, binding, settings)`` → the hotel's connector."""
logger = logging.getLogger(__name__)
VENDOR_PACKAGES = ("apaleo", "mews", "opera")
"""Vendor connectors live in ``hotelvoice.pms.<vendor>``, each with a ``build`` factory."""


class ConnectorCatalog(MutableMapping[str, ConnectorFactory]):
    """The connectors built into this release, by the name a hotel's configuration uses.

    A vendor's package is found when the catalog is made and imported when a hotel first
    needs it: the vendors' modules (and httpx) are a tenth of the PMS function's cold start,
    and most requests reach one vendor at most (``make bench``, "Cold starts").
    """

    def __init__(self, built: dict[str, ConnectorFactory], vendors: tuple[str, ...]) -> None:
        self._factories = dict(built)
        self._vendors = [
            vendor
            for vendor in vendors
            if importlib.util.find_spec(f"hotelvoice.pms.{vendor}") is not None
        ]

    def __getitem__(self, name: str) -> ConnectorFactory:
        if name not in self._factories and name in self._vendors:
            build = getattr(importlib.import_module(f"hotelvoice.pms.{name}"), "build", None)
            if callable(build):
                self._factories[name] = build
            else:  # a package without a factory is no connector: not in the catalog either
                self._vendors.remove(name)
        return self._factories[name]

    def __setitem__(self, name: str, factory: ConnectorFactory) -> None:
        self._factories[name] = factory

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._factories.pop(name, None)
        if name in self._vendors:
            self._vendors.remove(name)

    def __contains__(self, name: object) -> bool:
        return name in self._factories or name in self._vendors

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._factories, *self._vendors]))

    def __len__(self) -> int:
        return sum(1 for _ in self)


CONNECTORS = ConnectorCatalog(
    {"demo": lambda _hotel_id, _binding, settings: DemoPmsConnector(settings.pms_table)},
    VENDOR_PACKAGES,
)
CONFIG_TTL_S = 60.0
_configs: dict[str, tuple[float, HotelConfig | None]] = {}
_connectors: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, PmsBinding], PmsConnector]
] = weakref.WeakKeyDictionary()


def check_binding(hotel_id: str, binding: PmsBinding) -> None:
    """Refuse (400) a connector that is not built, or whose credentials are missing.

    The PMS function may read every secret under ``hotelvoice/pms/``, so the name alone
    must say whose credentials they are: the hotel's own, ``hotelvoice/pms/<hotel_id>`` or a
    name below it. Otherwise an admin of one hotel could bind another hotel's PMS to their
    own and read its guests, and probe which secret names exist.
    """
    if binding.connector not in CONNECTORS:
        raise InvalidRequest(f"the {binding.connector} connector is not available yet")
    if binding.connector == "demo":
        return
    if not binding.property_id:
        raise InvalidRequest("pms.property_id is required: the hotel's id in its PMS")
    if not binding.secret_name:
        raise InvalidRequest("pms.secret_name is required: the hotel's PMS credentials")
    if not is_own_secret(hotel_id, binding.secret_name):
        own = f"{PMS_SECRET_PREFIX}{hotel_id}"
        raise InvalidRequest(f"pms.secret_name must be {own} or a name below it")
    try:
        aws.client("secretsmanager").describe_secret(SecretId=binding.secret_name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            raise InvalidRequest(f"no secret named {binding.secret_name}") from exc
        raise Unavailable("the PMS secret cannot be checked; retry") from exc
    except BotoCoreError as exc:
        raise Unavailable("the PMS secret cannot be checked; retry") from exc


def is_own_secret(hotel_id: str, secret_name: str | None) -> bool:
    """Is ``secret_name`` the hotel's own, ``hotelvoice/pms/<hotel_id>`` or a name below it?"""
    own = f"{PMS_SECRET_PREFIX}{hotel_id}"
    return secret_name is not None and (secret_name == own or secret_name.startswith(f"{own}/"))


def connector_for(hotel_id: str) -> PmsConnector:
    """The connector the hotel's configuration names (the demo PMS without one).

    One per hotel and binding for as long as the event loop lives: its HTTP client, OAuth
    token and cached static data are reused by the next request instead of rebuilt (a TLS
    handshake and a token call saved on every guest's question).
    """
    settings = get_settings()
    config = _config(hotel_id, settings)
    binding = config.pms if config else PmsBinding()
    factory = CONNECTORS.get(binding.connector)
    if factory is None:
        raise Unavailable("the hotel's PMS connector is not available")
    if binding.connector != "demo" and not is_own_secret(hotel_id, binding.secret_name):
        # Written before PUT /config checked it: not used, whoever's credentials they are.
        logger.error("the hotel's PMS secret is not its own", extra={"hotel_id": hotel_id})
        raise Unavailable("the hotel's PMS binding must be updated (pms.secret_name)")
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return factory(hotel_id, binding, settings)
    per_loop = _connectors.setdefault(loop, {})
    key = (hotel_id, binding)
    if key not in per_loop:
        per_loop[key] = factory(hotel_id, binding, settings)
    return per_loop[key]


def hotel_config(hotel_id: str) -> HotelConfig | None:
    """The hotel's configuration as the PMS function last read it (cached for a minute)."""
    return _config(hotel_id, get_settings())


def forget_config(hotel_id: str) -> None:
    """A configuration was just written: the next request reads it afresh."""
    _configs.pop(hotel_id, None)


def _config(hotel_id: str, settings: Settings) -> HotelConfig | None:
    now = time.monotonic()
    cached = _configs.get(hotel_id)
    if cached and now - cached[0] < CONFIG_TTL_S:
        return cached[1]
    try:
        config: HotelConfig | None = HotelDirectory(settings.hotels_table).get(hotel_id)
    except NotFound:
        config = None
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable("the hotel's configuration cannot be read; retry") from exc
    _configs[hotel_id] = (now, config)
    return config
