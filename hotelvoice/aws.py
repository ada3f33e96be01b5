"""The one AWS client factory.

Clients are cached per process (Lambda reuses them across warm invocations) and keyed by the
endpoint, so the local mode's ``AWS_ENDPOINT_URL`` (moto server) and tests' ``mock_aws``
both reach fresh clients after :func:`reset_clients`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from hotelvoice.settings import get_settings


@lru_cache(maxsize=2)
def _config(regional_s3_hosts: bool = False) -> Any:
    """Timeouts and retries for every client; botocore is imported by the first one.

    Importing boto3 is a third of a function's cold start, and a request refused before any
    AWS call (no token, a bad body) needs none of it (``make bench``, "Cold starts").

    On AWS, S3 addresses a bucket by its regional host (``<bucket>.s3.<region>.amazonaws.com``):
    a presigned link then names the region it is served from, and the console's content
    security policy admits exactly that host (``template.yaml``, ``ConsoleHeaders``). botocore
    would otherwise sign links for the global ``<bucket>.s3.amazonaws.com``. A local endpoint
    (moto) keeps path-style addresses, since its host has no room for a bucket's name.
    """
    from botocore.config import Config

    return Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"max_attempts": 3, "mode": "standard"},
        s3={"addressing_style": "virtual"} if regional_s3_hosts else None,
    )


@lru_cache(maxsize=32)
def _client(service: str, region: str, endpoint: str | None) -> Any:
    import boto3

    config = _config(regional_s3_hosts=service == "s3" and endpoint is None)
    return boto3.session.Session().client(
        service, region_name=region, endpoint_url=endpoint, config=config
    )


def client(service: str, endpoint_url: str | None = None) -> Any:
    """A cached boto3 client for ``service`` in the configured (EU) region.

    At ``endpoint_url`` where given (a local plane's own moto server, whichever plane's
    environment the process holds at the moment), else at ``AWS_ENDPOINT_URL`` or AWS.
    """
    endpoint = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    return _client(service, get_settings().aws_region, endpoint)


@lru_cache(maxsize=32)
def _table(name: str, region: str, endpoint: str | None) -> Any:
    import boto3

    resource = boto3.session.Session().resource(
        "dynamodb", region_name=region, endpoint_url=endpoint, config=_config()
    )
    return resource.Table(name)


def resource_table(name: str) -> Any:
    """A cached DynamoDB ``Table`` resource (its conditions API reads better than raw calls)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    return _table(name, get_settings().aws_region, endpoint)


@lru_cache(maxsize=8)
def _secrets(region: str, endpoint: str | None) -> Any:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    return SecretsProvider(boto3_client=_client("secretsmanager", region, endpoint))


def secrets_provider() -> Any:
    """Powertools' Secrets Manager provider (values cached per ``max_age``), per endpoint.

    Not ``parameters.get_secret``: its one process-wide provider keeps the client of the
    first call, so a second local control plane in a process would read the first one's
    secrets (or none).
    """
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    return _secrets(get_settings().aws_region, endpoint)


def reset_clients() -> None:
    """Forget cached clients, e.g. after a test starts ``mock_aws`` or changes endpoints."""
    _client.cache_clear()
    _table.cache_clear()
    _secrets.cache_clear()
