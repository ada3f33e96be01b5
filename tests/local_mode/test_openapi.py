"""docs/openapi.json is the API as deployed: the template's routes, real auth and real errors."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import pytest
from openapi_spec_validator import validate

from local_mode import openapi
from local_mode.control_plane import LocalControlPlane
from local_mode.openapi import PUBLIC_ROUTES, SPEC_PATH, SpecConflictError, merged_openapi, render
from local_mode.template import FunctionSpec, HttpRoute, load_template

TEMPLATE_ROUTES = {(r.method, r.path) for r in load_template().routes()}


@pytest.fixture(scope="module")
def spec(plane):
    return merged_openapi(plane)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield (method.upper(), path), operation


def test_the_spec_has_exactly_the_template_routes(spec):
    assert {route for route, _ in operations(spec)} == TEMPLATE_ROUTES
    assert "/openapi.json" not in spec["paths"]


def test_every_non_public_operation_requires_the_bearer_token(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert PUBLIC_ROUTES <= TEMPLATE_ROUTES
    for route, operation in operations(spec):
        expected = [] if route in PUBLIC_ROUTES else [{"bearerAuth": []}]
        assert operation["security"] == expected, route
        assert "authorization" not in {p["name"].lower() for p in operation.get("parameters", [])}
        if route not in PUBLIC_ROUTES:
            assert {"401", "403", "429"} <= set(operation["responses"]), route
    webhook = spec["paths"]["/v1/livekit/webhook"]["post"]
    assert "LiveKit" in webhook["description"]
    assert "sha256" in webhook["description"]


def test_errors_are_documented_as_the_one_error_body(spec):
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    error = spec["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert set(spec["components"]["schemas"]["ErrorDetail"]["required"]) == {
        "code",
        "message",
        "request_id",
    }
    for route, operation in operations(spec):
        statuses = set(operation["responses"])
        assert "422" not in statuses, route
        for status in statuses - {"200", "201", "202", "204"}:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, route
        if operation.get("parameters") or operation.get("requestBody"):
            assert "400" in statuses, route
        if "requestBody" in operation:
            assert "413" in statuses, route


def test_the_spec_is_valid_openapi_3_1(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "hotelvoice API"


def test_the_committed_spec_is_the_generated_one(spec):
    # Regenerate with `python -m local_mode.openapi` after changing a route or a model.
    assert SPEC_PATH.read_text() == render(spec)
    assert json.loads(SPEC_PATH.read_text()) == spec


def test_check_mode_detects_a_stale_file(plane, monkeypatch, tmp_path, capsys):
    # main() starts its own plane; here it gets the session's (a second one would repoint
    # os.environ at a moto server that stops with it).
    monkeypatch.setattr(LocalControlPlane, "start", lambda self: plane)
    monkeypatch.setattr(LocalControlPlane, "stop", lambda self: None)
    out = tmp_path / "openapi.json"
    assert openapi.main(["--check", "--out", str(out)]) == 1
    assert "stale" in capsys.readouterr().err
    assert openapi.main(["--out", str(out)]) == 0
    assert openapi.main(["--check", "--out", str(out)]) == 0
    assert out.read_text() == SPEC_PATH.read_text()
    out.write_text(out.read_text().replace("hotelvoice API", "other API"))
    assert openapi.main(["--check", "--out", str(out)]) == 1


def fake_function(monkeypatch, name: str, document: dict) -> SimpleNamespace:
    """A function whose handler module is a stub whose ``app`` answers ``document``."""
    module = f"_fake_openapi_{name}"
    app = SimpleNamespace(openapi=lambda: document)
    monkeypatch.setitem(sys.modules, module, SimpleNamespace(app=app))
    routes = [
        HttpRoute(method.upper(), path, name)
        for path, methods in document["paths"].items()
        for method in methods
    ]
    spec = FunctionSpec(name, f"{module}.handler", 3, 128, {}, routes)
    return SimpleNamespace(spec=spec, load=lambda: None)


def document(path: str, room_type: str) -> dict:
    operation = {
        "operationId": f"get{path.replace('/', '_')}",
        "responses": {"200": {"description": "ok"}},
    }
    room = {"type": "object", "properties": {"number": {"type": room_type}}}
    return {"paths": {path: {"get": operation}}, "components": {"schemas": {"Room": room}}}


def test_a_schema_name_with_two_shapes_fails_loudly(monkeypatch):
    a = fake_function(monkeypatch, "A", document("/a", "integer"))
    b = fake_function(monkeypatch, "B", document("/b", "string"))
    c = fake_function(monkeypatch, "C", document("/c", "integer"))
    with pytest.raises(SpecConflictError, match="Room"):
        merged_openapi([a, b])
    merged = merged_openapi([a, c])
    assert set(merged["paths"]) == {"/a", "/c"}
    assert merged["components"]["schemas"]["Room"]["properties"]["number"]["type"] == "integer"


def test_a_route_served_twice_or_not_at_all_fails_loudly(monkeypatch):
    a = fake_function(monkeypatch, "A", document("/a", "integer"))
    again = fake_function(monkeypatch, "B", document("/a", "integer"))
    with pytest.raises(SpecConflictError, match="GET /a"):
        merged_openapi([a, again])
    missing = fake_function(monkeypatch, "C", document("/c", "integer"))
    missing.spec.routes.append(HttpRoute("POST", "/c", "C"))
    with pytest.raises(LookupError, match="POST /c"):
        merged_openapi([missing])
