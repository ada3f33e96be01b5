"""Reading ``template.yaml``: resources, functions, their routes, queues and environment.

The local API and the local resources are built from what this module reads, so a route,
table or variable missing from the template is missing locally too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags into their long form."""


def _construct_tag(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


@dataclass(frozen=True)
class HttpRoute:
    """One ``HttpApi`` event: method and path as API Gateway matches them."""

    method: str
    path: str
    function: str
    open: bool = False
    """``Auth: {Authorizer: NONE}``: API Gateway lets it through without a token."""

    @property
    def route_key(self) -> str:
        """API Gateway's ``routeKey``, e.g. ``GET /v1/calls/{call_id}``."""
        return f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """Path parameters when the request matches this route, else ``None``."""
        if self.method not in ("ANY", method.upper()):
            return None
        pattern = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", self.path)
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        found = re.fullmatch(pattern, path)
        return found.groupdict() if found else None


@dataclass(frozen=True)
class SqsSource:
    """One ``SQS`` event of a function."""

    function: str
    queue: Any
    batch_size: int
    report_batch_item_failures: bool


@dataclass(frozen=True)
class FunctionSpec:
    """An ``AWS::Serverless::Function`` with Globals applied."""

    logical_id: str
    handler: str
    timeout_s: int
    memory_mb: int
    environment: dict[str, Any]
    routes: list[HttpRoute] = field(default_factory=list)
    sqs_sources: list[SqsSource] = field(default_factory=list)

    @property
    def module_and_attr(self) -> tuple[str, str]:
        """``functions/pms/handler.lambda_handler`` → (``functions.pms.handler``, attr)."""
        module, _, attr = self.handler.rpartition(".")
        return module.replace("/", "."), attr


@dataclass(frozen=True)
class Template:
    """The parsed template."""

    body: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        """Logical id → resource."""
        return self.body.get("Resources", {})

    @property
    def parameters(self) -> dict[str, Any]:
        """Parameter name → definition."""
        return self.body.get("Parameters", {})

    def functions(self) -> list[FunctionSpec]:
        """Every serverless function with Globals merged in."""
        glob = self.body.get("Globals", {}).get("Function", {})
        global_env = glob.get("Environment", {}).get("Variables", {})
        specs = []
        for logical_id, resource in self.resources.items():
            if resource.get("Type") != "AWS::Serverless::Function":
                continue
            props = resource.get("Properties", {})
            env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
            routes, sources = [], []
            # Only HttpApi and SQS events run locally; a Schedule (the daily retention run)
            # is left out, and its handler is invoked by hand there.
            for event in props.get("Events", {}).values():
                ev = event.get("Properties", {})
                if event.get("Type") == "HttpApi":
                    authorizer = ev.get("Auth", {}).get("Authorizer")
                    routes.append(
                        HttpRoute(
                            ev.get("Method", "ANY").upper(),
                            ev["Path"],
                            logical_id,
                            open=authorizer == "NONE",
                        )
                    )
                elif event.get("Type") == "SQS":
                    sources.append(
                        SqsSource(
                            logical_id,
                            ev["Queue"],
                            int(ev.get("BatchSize", 10)),
                            "ReportBatchItemFailures" in ev.get("FunctionResponseTypes", []),
                        )
                    )
            specs.append(
                FunctionSpec(
                    logical_id=logical_id,
                    handler=props.get("Handler", glob.get("Handler", "")),
                    timeout_s=int(props.get("Timeout", glob.get("Timeout", 3))),
                    memory_mb=int(props.get("MemorySize", glob.get("MemorySize", 128))),
                    environment=env,
                    routes=routes,
                    sqs_sources=sources,
                )
            )
        return specs

    def routes(self) -> list[HttpRoute]:
        """All HTTP routes of all functions."""
        return [route for spec in self.functions() for route in spec.routes]


def load_template(path: Path = TEMPLATE_PATH) -> Template:
    """Parse ``template.yaml`` (CloudFormation short tags included)."""
    return Template(yaml.load(path.read_text(), Loader=_CfnLoader))  # noqa: S506 - safe subclass
