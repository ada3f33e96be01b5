"""The whole control plane on one machine: moto, the template's resources, functions, API.

One object that the demo, ``hotelvoice api`` and the integration tests share, so all three
exercise the same wiring: template → resources → handlers → local API → SQS event sources.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hotelvoice import aws
from hotelvoice.auth import Role, mint_token
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.hotels.demo import seed_demo_hotel_config
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import seed_demo_hotel
from hotelvoice.secrets import LOCAL_LIVEKIT_API_SECRET
from hotelvoice.settings import (
    LOCAL_ISSUER,
    LOCAL_SIGNING_SECRET,
    LOCAL_SUBJECT_KEY,
    get_settings,
)
from local_mode.console_site import ConsoleSite
from local_mode.demo_calls import seed_demo_calls
from local_mode.http_api import LocalHttpApi, LocalHttpServer
from local_mode.lambda_runtime import LocalFunction, shared_environment
from local_mode.mail import verify_sender
from local_mode.moto_process import MotoProcess
from local_mode.resources import LocalResources, create_resources
from local_mode.sqs_source import SqsEventSource
from local_mode.template import Template, load_template

LOCAL_REGION = "eu-central-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@dataclass
class LocalControlPlane:
    """Start with :meth:`start`; use :attr:`api` in process or :meth:`serve` on a port."""

    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    endpoint_url: str | None = None
    """An existing moto server; ``None`` starts one on a free port."""
    seed: bool = True
    seed_calls: bool = False
    """Also write the calls of ``demo_calls.json`` (``hotelvoice api``: the console shows them)."""
    quiet: bool = True
    """Keep Powertools' JSON logs and metrics off the terminal (demo); tests may want them."""
    retry_delay_s: int = 0
    template: Template = field(default_factory=load_template)
    resources: LocalResources | None = None
    """Resources already created in ``endpoint_url`` (see :meth:`attached`): none are
    created and nothing is seeded. ``None`` creates the template's resources."""
    api: LocalHttpApi | None = None
    functions: dict[str, LocalFunction] = field(default_factory=dict)
    event_sources: list[SqsEventSource] = field(default_factory=list)
    _moto: MotoProcess | None = None
    _server: LocalHttpServer | None = None

    def start(self) -> LocalControlPlane:
        """Bring up AWS (moto), create the template's resources, load the functions."""
        if self.endpoint_url is None:
            self._moto = MotoProcess().start()
            self.endpoint_url = self._moto.url
        os.environ.update(self.process_environment())
        get_settings.cache_clear()
        aws.reset_clients()
        attached = self.resources is not None
        if self.resources is None:
            self.resources = self._create_resources()
        if self.seed and not attached:
            table = aws.resource_table(self.resources.refs["PmsTable"])
            seed_demo_hotel(table, self.today)
            seed_demo_hotel_config(HotelDirectory(self.resources.refs["HotelsTable"]))
        extra_env = {**self.process_environment(), **self._function_overrides()}
        global _planes_started  # noqa: PLW0603 - one count per process, as cold starts are
        if _planes_started:
            _forget_function_modules()
        _planes_started += 1
        for spec in self.template.functions():
            self.functions[spec.logical_id] = LocalFunction(spec, self.resources, extra_env)
        os.environ.update(shared_environment(list(self.functions.values())))
        get_settings.cache_clear()
        # Every cold start now, in this thread: a cold start puts its function's variables
        # in the process environment for a moment, which a server thread must not do while
        # the caller reads its settings.
        for function in self.functions.values():
            function.load()
        if self.seed_calls and not attached:
            seed_demo_calls(
                CallRecordStore(self.resources.refs["CallsTable"]),
                recordings_bucket=self.resources.refs["RecordingsBucket"],
            )
        self.api = LocalHttpApi(self.template.routes(), self.functions)
        for spec in self.template.functions():
            for source in spec.sqs_sources:
                self.event_sources.append(
                    SqsEventSource(
                        self.functions[spec.logical_id],
                        queue_url=self.resources.resolve({"Ref": source.queue["Fn::GetAtt"][0]}),
                        queue_arn=self.resources.resolve(source.queue),
                        region=LOCAL_REGION,
                        batch_size=source.batch_size,
                        report_batch_item_failures=source.report_batch_item_failures,
                        retry_delay_s=self.retry_delay_s,
                        endpoint_url=self.endpoint_url,
                    )
                )
        return self

    def _create_resources(self) -> LocalResources:
        livekit_secret = os.environ.get("LIVEKIT_API_SECRET") or LOCAL_LIVEKIT_API_SECRET
        resources = create_resources(
            self.template,
            region=LOCAL_REGION,
            parameter_overrides={
                "LiveKitApiKey": os.environ.get("LIVEKIT_API_KEY", "devkey"),
                # Local tokens are HS256 under the local issuer; no provider to discover.
                "JwtIssuer": os.environ.get("HOTELVOICE_AUTH_ISSUER", LOCAL_ISSUER),
            },
            secret_values={
                "ApiSigningKey": LOCAL_SIGNING_SECRET,
                "LiveKitApiSecret": livekit_secret,
                "SubjectHashKey": LOCAL_SUBJECT_KEY,
            },
        )
        verify_sender(resources.parameters)  # SES refuses unverified senders, moto too
        return resources

    def save_state(self, path: Path) -> Path:
        """Write where local AWS is and what was created there, for :meth:`attached`."""
        assert self.resources is not None, "start() first"
        resources = self.resources
        state = {
            "endpoint_url": self.endpoint_url,
            "today": self.today.isoformat(),
            "region": resources.region,
            "stack_name": resources.stack_name,
            "parameters": resources.parameters,
            "conditions": resources.conditions,
            "refs": resources.refs,
            "attributes": [
                [lid, attr, value] for (lid, attr), value in resources.attributes.items()
            ],
        }
        path.write_text(json.dumps(state, indent=1), encoding="utf-8")
        return path

    @classmethod
    def attached(cls, path: Path, **options: Any) -> LocalControlPlane:
        """A plane over the moto server and resources that :meth:`save_state` wrote.

        moto runs in its own process, so tables and queues outlive the API process that
        created them: a second API started this way (``hotelvoice api --attach``) serves the
        same data, as a restarted API Gateway and Lambda would. Nothing is created or seeded.
        """
        state = json.loads(path.read_text(encoding="utf-8"))
        resources = LocalResources(
            region=state["region"],
            stack_name=state["stack_name"],
            parameters=state["parameters"],
            conditions=state.get("conditions", {}),
            refs=state["refs"],
            attributes={(lid, attr): value for lid, attr, value in state["attributes"]},
        )
        return cls(
            endpoint_url=state["endpoint_url"],
            today=date.fromisoformat(state["today"]),
            resources=resources,
            **options,
        )

    def process_environment(self) -> dict[str, str]:
        """What the local process (CLI, agent, tests) needs to reach local AWS."""
        return {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint_url or "",
            "AWS_REGION": LOCAL_REGION,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "HOTELVOICE_LOCAL_MODE": "true",
        }

    def _function_overrides(self) -> dict[str, str]:
        env = {"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_DEV": "false"}
        if self.quiet:
            env |= {"POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}
        return env

    def serve(
        self, host: str = "127.0.0.1", port: int = 0, console: ConsoleSite | None = None
    ) -> str:
        """Put the API on a socket and start the SQS event sources; returns the base URL.

        ``console``, if given, answers under ``/console/`` on the same socket.
        """
        assert self.api is not None, "start() first"
        self._server = LocalHttpServer(self.api, host, port, site=console).start()
        for source in self.event_sources:
            source.start()
        return self._server.url

    def drain(self, timeout_s: float = 30.0) -> None:
        """Deliver every queued call event now (instead of waiting for the pollers)."""
        for source in self.event_sources:
            source.drain(timeout_s)

    def token(self, role: Role, hotels: list[str] | None = None, subject: str = "local") -> str:
        """A bearer token signed with the local key."""
        return mint_token(subject, role, hotels or ["*"])

    def table(self, logical_id: str) -> Any:
        """A template table by logical id, e.g. ``CallsTable``."""
        assert self.resources is not None
        return aws.resource_table(self.resources.refs[logical_id])

    def stop(self) -> None:
        """Stop pollers, the API socket and moto."""
        for source in self.event_sources:
            source.stop()
        if self._server is not None:
            self._server.stop()
        if self._moto is not None:
            self._moto.stop()

    def __enter__(self) -> LocalControlPlane:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_planes_started = 0
"""Planes started in this process: the first imports the functions as they are."""


def _forget_function_modules() -> None:
    """Let this plane's functions cold-start afresh, as each Lambda does.

    A handler module builds clients when it is imported (Powertools' idempotency store
    among them), against the AWS endpoint of that moment. A second plane in the same
    process (tests run several, one after another) would otherwise reuse the first one's
    modules, talking to a moto that is gone. A plane already running keeps the handlers
    it loaded; the first plane of a process imports nothing anew, so a test that imported
    a function module itself shares it with that plane.
    """
    for name in [m for m in sys.modules if m == "functions" or m.startswith("functions.")]:
        del sys.modules[name]
