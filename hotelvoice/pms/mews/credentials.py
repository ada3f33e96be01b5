"""What a Mews hotel's secret holds: the Connector API tokens and the rates to quote.

The secret (``pms.secret_name``, a JSON object of strings; docs/pms.md, "Mews")::

    {"client_token": "…", "access_token": "…", "client": "hotelvoice 1.0",
     "rates": "ed4b660b-…=Flexible rate; 7c2e1a90-…=Breakfast included",
     "breakfast_rate_ids": "7c2e1a90-…"}

``ClientToken`` identifies our integration (one for all hotels), ``AccessToken`` the hotel
that connected it, ``Client`` is our name and version as Mews registered it. Rates live here
because the Connector API subset we are certified for has no way to list them
(``rates/getPricing`` and ``reservations/price`` take a ``RateId``, nothing returns one
except an existing reservation), and the hotel decides which of its rates the phone may sell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotelvoice.errors import Unavailable

DEFAULT_CLIENT = "hotelvoice 1.0"


@dataclass(frozen=True)
class MewsRate:
    """A rate the receptionist may quote and book: Mews ``RateId`` and the name it says."""

    id: str
    name: str
    breakfast: bool = False


@dataclass(frozen=True)
class MewsCredentials:
    """One hotel's Mews tokens and rates, read from its secret."""

    client_token: str
    access_token: str
    client: str
    rates: tuple[MewsRate, ...]

    @classmethod
    def from_secret(cls, secret: Mapping[str, str]) -> MewsCredentials:
        """Read the secret's keys; a missing token is a configuration error (``Unavailable``)."""
        client_token = secret.get("client_token", "").strip()
        access_token = secret.get("access_token", "").strip()
        if not client_token or not access_token:
            raise Unavailable("the hotel's Mews secret needs client_token and access_token")
        breakfast = {i.strip() for i in secret.get("breakfast_rate_ids", "").split(",")}
        return cls(
            client_token=client_token,
            access_token=access_token,
            client=secret.get("client", "").strip() or DEFAULT_CLIENT,
            rates=parse_rates(secret.get("rates", ""), breakfast - {""}),
        )

    def body(self) -> dict[str, str]:
        """The three fields every Connector API request carries in its JSON body."""
        return {
            "ClientToken": self.client_token,
            "AccessToken": self.access_token,
            "Client": self.client,
        }


def parse_rates(text: str, breakfast_ids: set[str] | None = None) -> tuple[MewsRate, ...]:
    """``"<RateId>=<name>; <RateId>=<name>"`` → rates in the hotel's order.

    A rate without a name is called "rate 1", "rate 2" … by its position: the receptionist
    must say something, and a UUID is not it.
    """
    rates: list[MewsRate] = []
    for position, entry in enumerate(filter(None, (e.strip() for e in text.split(";"))), 1):
        rate_id, _, name = (part.strip() for part in entry.partition("="))
        if rate_id:
            rates.append(
                MewsRate(
                    id=rate_id,
                    name=name or f"rate {position}",
                    breakfast=rate_id in (breakfast_ids or set()),
                )
            )
    return tuple(rates)
