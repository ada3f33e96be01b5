"""One OpenAPI 3.1 document for the whole HTTP API, built from the handlers' own FastAPI apps.

Each function's app describes only itself, and describes FastAPI's defaults rather than what
callers meet: 422s (we answer 400 with the one error body), an ``authorization`` parameter (a
bearer token), routes such as ``/openapi.json`` that API Gateway never routes. Merging keeps
exactly the template's ``HttpApi`` routes and states auth and errors as they are, so
``docs/openapi.json`` can be handed to API consumers and fuzzed by the tests.
``python -m local_mode.openapi [--check]`` writes it (or, for CI, exits 1 when it is stale).
"""

from __future__ import annotations

import argparse
import copy
import importlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hotelvoice.errors import ErrorBody
from local_mode.control_plane import LocalControlPlane
from local_mode.lambda_runtime import LocalFunction
from local_mode.template import load_template

SPEC_PATH = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"
WEBHOOK = ("POST", "/v1/livekit/webhook")
PUBLIC_ROUTES = frozenset((r.method, r.path) for r in load_template().routes() if r.open)
"""Routes API Gateway's authorizer lets through: the health probe and LiveKit's signed webhook."""
_FASTAPI_ONLY_SCHEMAS = ("HTTPValidationError", "ValidationError")
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_ERRORS = {
    "400": "Invalid request: a parameter or the body fails validation.",
    "401": "No credential, or one that cannot be verified (bad signature, expired).",
    "403": "The token's role or hotels do not allow this operation.",
    "404": "The hotel, call or reservation named in the request is not found.",
    "413": "The body exceeds the size limit.",
    "429": "Too many requests from this principal this minute; retry after `Retry-After` s.",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
_WEBHOOK_NOTE = (
    "\n\nAuthenticated by LiveKit, not by a bearer token: `Authorization` carries LiveKit's "
    "JWT (HS256 with our LiveKit API secret) whose `sha256` claim is the base64 SHA-256 of "
    "the raw body. A delivery that is not signed exactly so is refused with 401; a signed "
    "but malformed one with 400."
)
_WEBHOOK_EVENT = {
    "type": "object",
    "description": "A LiveKit `WebhookEvent` in protobuf JSON.",
    "properties": {"event": {"type": "string"}, "id": {"type": "string"}, "createdAt": {}},
}
_WEBHOOK_BODY = {
    "required": True,
    "content": {"application/webhook+json": {"schema": _WEBHOOK_EVENT}},
}
_JWT = "Our HS256 JWT; its role (admin, staff, service) and hotels decide what it may do."
_BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": _JWT}


class SpecConflictError(ValueError):
    """Two functions disagree: a schema name with two shapes, or an operation twice."""


def merged_openapi(
    plane_or_functions: LocalControlPlane | Mapping[str, LocalFunction] | Iterable[LocalFunction],
) -> dict[str, Any]:
    """Merge every HTTP function's ``app.openapi()`` into the API's one document.

    Args:
        plane_or_functions: A started control plane, or its functions; each HTTP handler is
            imported through :meth:`LocalFunction.load` so it sees its template environment.

    Returns:
        The OpenAPI 3.1 document, with only the template's routes in it.

    Raises:
        SpecConflictError: A schema name has two shapes, two functions serve a route, or
            two operations share an id.
        LookupError: A template route is not served by its function's app.
    """
    if isinstance(plane_or_functions, LocalControlPlane):
        plane_or_functions = plane_or_functions.functions
    if isinstance(plane_or_functions, Mapping):
        plane_or_functions = plane_or_functions.values()
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for function in sorted(plane_or_functions, key=lambda f: f.spec.logical_id):
        if not function.spec.routes:
            continue
        function.load()
        app = importlib.import_module(function.spec.module_and_attr[0]).app
        source = copy.deepcopy(app.openapi())  # FastAPI caches it: leave its copy alone
        for route in function.spec.routes:
            methods = [route.method.lower()] if route.method != "ANY" else None
            served = source["paths"].get(route.path, {})
            for method in methods or list(served):
                if method not in served:
                    raise LookupError(
                        f"{function.spec.logical_id} does not serve {route.route_key}"
                    )
                if method in paths.get(route.path, {}):
                    raise SpecConflictError(f"{method.upper()} {route.path} served twice")
                operation = _operation(served[method], method, route.path)
                paths.setdefault(route.path, {})[method] = operation
        for name, schema in source.get("components", {}).get("schemas", {}).items():
            if name not in _FASTAPI_ONLY_SCHEMAS:
                _add_schema(schemas, name, schema)
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, schema in {**error_schema.pop("$defs", {}), "ErrorBody": error_schema}.items():
        _add_schema(schemas, name, schema)
    ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    if len(ids) != len(set(ids)):  # code generators name methods after them
        raise SpecConflictError(f"duplicate operationId among {sorted(ids)}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hotelvoice API",
            "version": importlib.metadata.version("hotelvoice"),
            "description": "Every error is an `ErrorBody`; 4xx for caller mistakes.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"bearerAuth": _BEARER},
        },
    }


def _operation(operation: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """State auth and errors as the API answers them, not as FastAPI assumes."""
    public = (method.upper(), path) in PUBLIC_ROUTES
    parameters = [
        p
        for p in operation.pop("parameters", [])
        if not (p["in"] == "header" and p["name"].lower() == "authorization")
    ]
    if parameters:  # OpenAPI ignores an ``Authorization`` parameter: ``security`` says it
        operation["parameters"] = parameters
    operation["security"] = [] if public else [{"bearerAuth": []}]
    if (method.upper(), path) == WEBHOOK:
        operation["description"] = operation.get("description", "") + _WEBHOOK_NOTE
        operation.setdefault("requestBody", copy.deepcopy(_WEBHOOK_BODY))
    responses = operation["responses"]
    responses.pop("422", None)
    has_input = bool(operation.get("parameters") or operation.get("requestBody"))
    wanted = {
        "400": has_input,
        "401": not public or (method.upper(), path) == WEBHOOK,
        "403": not public,
        "404": "{" in path,
        "413": "requestBody" in operation,
        "429": not public,  # per-principal limits are counted after the token is verified
    }
    for status, applies in wanted.items():
        if applies:
            content = {"application/json": {"schema": _ERROR_REF}}
            response = {"description": _ERRORS[status], "content": content}
            responses.setdefault(
                status, response | ({"headers": _RETRY_AFTER} if status == "429" else {})
            )
    return operation


def _add_schema(schemas: dict[str, Any], name: str, schema: Any) -> None:
    """Add one named schema; the same name with another shape would silently win, so fail."""
    if name in schemas and schemas[name] != schema:
        raise SpecConflictError(f"schema {name!r} has two different definitions")
    schemas[name] = schema


def render(spec: dict[str, Any]) -> str:
    """The committed form: sorted keys, indent 2, one trailing newline, so diffs stay small."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/openapi.json``, or with ``--check`` exit 1 when it is stale."""
    parser = argparse.ArgumentParser(prog="python -m local_mode.openapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    parser.add_argument("--out", type=Path, default=SPEC_PATH, help="the spec file")
    args = parser.parse_args(argv)
    plane = LocalControlPlane(seed=False).start()  # handlers read settings when imported
    try:
        text = render(merged_openapi(plane))
    finally:
        plane.stop()
    if args.check:
        current = args.out.read_text() if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run `python -m local_mode.openapi`", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
