"""Publish the built console to a deployed stack: ``make console-publish STACK=<name>``.

Reads the stack's outputs (the console bucket, the distribution, the OpenID issuer and the
console's client id), writes the console's ``config.json`` for that deployment (sign-in at
the provider with PKCE, no development sign-in, the API on the same origin), uploads
``console/dist`` under ``console/`` with cache headers (hashed assets for a year, the page
and its configuration never), removes files of older builds, and asks CloudFront to forget
the page and the configuration.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import time
from pathlib import Path
from typing import Any

import boto3

from local_mode.console_site import CONSOLE_DIST

PREFIX = "console/"
NEVER_CACHED = ("index.html", "config.json")
FORGOTTEN = ("/console/", "/console/index.html", "/console/config.json")
"""What CloudFront must fetch again after a publish (the assets have new names anyway)."""


def deployed_config(outputs: dict[str, str], role_claim: str, hotels_claim: str) -> dict[str, Any]:
    """``config.json`` of a deployed console: what ``console/src/config.ts`` reads."""
    return {
        "api_base": "",
        "oidc": {
            "issuer": outputs["JwtIssuer"],
            "client_id": outputs["ConsoleClientId"],
            "scope": "openid",
        },
        "dev_sign_in": False,
        "hotels": [],
        "role_claim": role_claim,
        "hotels_claim": hotels_claim,
    }


def stack_outputs(stack: str, session: boto3.Session) -> dict[str, str]:
    """The stack's outputs by key."""
    (described,) = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def publish(
    outputs: dict[str, str],
    session: boto3.Session,
    dist: Path = CONSOLE_DIST,
    *,
    role_claim: str = "role",
    hotels_claim: str = "hotels",
) -> list[str]:
    """Upload the build and its configuration; returns the keys written."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"{dist} holds no build: run `make console` first")
    s3 = session.client("s3")
    bucket = outputs["ConsoleBucketName"]
    files = {PREFIX + p.relative_to(dist).as_posix(): p.read_bytes() for p in _files(dist)}
    config = deployed_config(outputs, role_claim, hotels_claim)
    files[PREFIX + "config.json"] = json.dumps(config, indent=2).encode()
    # The page last: until it is replaced, it names the previous build's assets, still there.
    order = sorted(files, key=lambda key: key.endswith("index.html"))
    for key in order:
        name = key.rsplit("/", 1)[-1]
        cache = "no-cache" if name in NEVER_CACHED else "public, max-age=31536000, immutable"
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=files[key],
            ContentType=mimetypes.guess_type(name)[0] or "application/octet-stream",
            CacheControl=cache,
        )
    stale = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX)
        for item in page.get("Contents", [])
        if item["Key"] not in files
    ]
    for first in range(0, len(stale), 1000):
        chunk = [{"Key": key} for key in stale[first : first + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
    session.client("cloudfront").create_invalidation(
        DistributionId=outputs["ConsoleDistributionId"],
        InvalidationBatch={
            "Paths": {
                "Quantity": 3,
                "Items": ["/console/", "/console/index.html", "/console/config.json"],
            },
            "CallerReference": f"console-publish-{time.time_ns()}",
        },
    )
    return order


def _files(dist: Path) -> list[Path]:
    return sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "config.json")


def main(argv: list[str] | None = None) -> int:
    """``python -m local_mode.console_publish --stack NAME [--region eu-central-1]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", help="the stack's region (default: your AWS configuration)")
    parser.add_argument("--role-claim", default="role", help="HOTELVOICE_AUTH_ROLE_CLAIM")
    parser.add_argument("--hotels-claim", default="hotels", help="HOTELVOICE_AUTH_HOTELS_CLAIM")
    args = parser.parse_args(argv)
    session = boto3.Session(region_name=args.region)
    outputs = stack_outputs(args.stack, session)
    written = publish(outputs, session, role_claim=args.role_claim, hotels_claim=args.hotels_claim)
    print(f"{len(written)} files published; the console: {outputs['ConsoleUrl']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
