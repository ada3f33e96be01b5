"""FastAPI's OpenAPI document models, made without building their validators.

``fastapi.openapi.models`` defines about sixty pydantic classes for the ``/openapi.json``
document, and building their validators is a tenth of an HTTP function's cold start. API
Gateway routes no function's ``/openapi.json``, so an HTTP function's package imports them
first with pydantic's ``defer_build``: each is built on its first use, if ever. The
deferral covers that one import; every model made after it is built as usual, and the
SQS consumer and the retention run, which use no FastAPI, never import it (``make bench``,
"Cold starts").
"""

from __future__ import annotations

import sys


def defer_openapi_models() -> None:
    """Import ``fastapi.openapi.models`` with deferred validators (once per process)."""
    if "fastapi.openapi.models" in sys.modules:
        return
    import pydantic

    config = pydantic.BaseModel.model_config
    pydantic.BaseModel.model_config = {**config, "defer_build": True}
    try:
        import fastapi.openapi.models  # noqa: F401 - made now, built on first use
    finally:
        pydantic.BaseModel.model_config = config
