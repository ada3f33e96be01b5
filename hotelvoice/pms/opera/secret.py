"""What a hotel's OPERA secret holds (``pms.secret_name``, a JSON object; docs/pms.md).

The credentials are OHIP's: an OAuth client (id and secret) registered for the hotel group's
environment, the application key of our OHIP app, and, in client-credentials (OCIM)
environments, the enterprise id. The optional codes are the hotel's own OPERA set-up that a
phone booking has to name (guarantee, cancellation reason, market and source); left out,
OPERA's defaults for the rate apply.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hotelvoice.errors import Unavailable

UUID4 = r"^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89aAbB][a-f0-9]{3}-[a-f0-9]{12}$"
"""OHIP's ``x-app-key`` pattern (a UUID version 4), as the API description states it."""
OHIP_SCOPE = "urn:opc:hgbu:ws:__myscopes__"
"""The scope OHIP's client-credentials grant asks for: every scope the app was granted."""
OPERA_CODE = r"^[A-Za-z0-9_.-]{1,20}$"


class OperaSecret(BaseModel):
    """The hotel's OPERA credentials and booking codes, checked once when read."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=1, repr=False)
    app_key: str = Field(pattern=UUID4)
    enterprise_id: str | None = Field(default=None, pattern=r"^[A-Z0-9]{1,8}$")
    """Sent as the token call's ``enterpriseId`` header where given (OCIM environments)."""
    scope: str = Field(default=OHIP_SCOPE, min_length=1)
    external_system_code: str = Field(default="HOTELVOICE", pattern=OPERA_CODE)
    """``idContext`` of the external reference each booking carries (idempotency)."""
    guarantee_code: str | None = Field(default=None, pattern=OPERA_CODE)
    cancellation_reason_code: str | None = Field(default=None, pattern=OPERA_CODE)
    market_code: str | None = Field(default=None, pattern=OPERA_CODE)
    source_code: str | None = Field(default=None, pattern=OPERA_CODE)

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> OperaSecret:
        """The secret's JSON object, or ``Unavailable`` naming the keys that are wrong.

        Only key names are reported, never values: the message may reach logs.
        """
        cleaned = {k: v for k, v in values.items() if v not in ("", None)}
        try:
            return cls.model_validate(cleaned)
        except ValidationError as exc:
            keys = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
            raise Unavailable(
                f"the hotel's OPERA secret is missing or has invalid keys: {', '.join(keys)}"
            ) from None
