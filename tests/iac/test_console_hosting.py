"""The console in AWS: S3 behind CloudFront with the API on the same origin.

The template is read as CloudFormation would take it; the CloudFront function runs in Node
(its runtime's JavaScript); the publisher runs against moto's S3, CloudFront and
CloudFormation.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local_mode.console_publish import FORGOTTEN, publish, stack_outputs
from local_mode.console_site import ConsoleSite
from local_mode.template import load_template

BODY = load_template().body
RESOURCES = BODY["Resources"]
DISTRIBUTION = RESOURCES["ConsoleDistribution"]["Properties"]["DistributionConfig"]


def behaviour(path: str | None) -> dict[str, Any]:
    if path is None:
        return DISTRIBUTION["DefaultCacheBehavior"]
    return next(b for b in DISTRIBUTION["CacheBehaviors"] if b["PathPattern"] == path)


def test_the_api_is_reached_through_the_same_origin_and_never_cached():
    api = behaviour("/v1/*")
    origin = next(o for o in DISTRIBUTION["Origins"] if o["Id"] == api["TargetOriginId"])
    assert "HotelVoiceApi" in json.dumps(origin["DomainName"])
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert {"POST", "PUT", "DELETE"} <= set(api["AllowedMethods"])
    assert api["ViewerProtocolPolicy"] == "https-only"
    # Same origin, so the API allows no cross-origin calls at all.
    assert "CorsConfiguration" not in RESOURCES["HotelVoiceApi"]["Properties"]


def test_the_files_are_read_only_by_this_distribution_over_https():
    page = behaviour(None)
    assert page["ViewerProtocolPolicy"] == "redirect-to-https"
    origin = next(o for o in DISTRIBUTION["Origins"] if o["Id"] == page["TargetOriginId"])
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["ConsoleOriginAccess", "Id"]}
    statements = RESOURCES["ConsoleBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (reader,) = [s for s in statements if s["Effect"] == "Allow"]
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reader["Action"] == "s3:GetObject"
    assert (
        "${ConsoleDistribution}" in reader["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    )
    assert DISTRIBUTION["PriceClass"] == "PriceClass_100"


def _policy_directives(policy: str) -> dict[str, str]:
    parts = (d.strip() for d in policy.replace("\n", " ").split(";") if d.strip())
    return {p.split(" ", 1)[0]: " ".join(p.split()[1:]) for p in parts}


def test_cloudfront_sends_the_headers_local_mode_sends():
    config = RESOURCES["ConsoleHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    template_policy = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"][0]
    deployed = _policy_directives(
        template_policy.replace("${SignIn}", "https://id.example.eu").replace(
            "${AWS::Region}", "eu-central-1"
        )
    )
    site = ConsoleSite(
        oidc={"issuer": "https://id.example.eu", "client_id": "c", "scope": "openid"}
    )
    local = _policy_directives(site._policy())
    assert deployed.keys() == local.keys()
    for directive in ("default-src", "script-src", "style-src", "connect-src", "frame-ancestors"):
        assert deployed[directive] == local[directive], directive
    assert "unsafe" not in template_policy
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("/", {"status": 301, "location": "/console/"}),
        ("/console", {"status": 301, "location": "/console/"}),
        ("/console/", {"uri": "/console/index.html"}),
        ("/console/calls/abc", {"uri": "/console/index.html"}),
        ("/console/assets/index-abc.js", {"uri": "/console/assets/index-abc.js"}),
        ("/console/config.json", {"uri": "/console/config.json"}),
        ("/v1/calls", {"uri": "/v1/calls"}),
    ],
)
def test_the_paths_function_maps_console_addresses_to_its_page(uri, expected):
    code = RESOURCES["ConsolePaths"]["Properties"]["FunctionCode"]
    script = code + (
        f"\nvar out = handler({{request: {{uri: {json.dumps(uri)}, headers: {{}}}}}});"
        "\nconsole.log(JSON.stringify(out.statusCode ? "
        "{status: out.statusCode, location: out.headers.location.value} : {uri: out.uri}));"
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(done.stdout) == expected


@pytest.fixture
def deployed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A stack's outputs as moto serves them, with its bucket and distribution.

    In-process moto of its own: not the local control plane's server other tests share.
    """
    for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        session = boto3.Session(region_name="eu-central-1")
        s3 = session.client("s3")
        s3.create_bucket(
            Bucket="console-files",
            CreateBucketConfiguration={"LocationConstraint": "eu-central-1"},
        )
        s3.put_object(Bucket="console-files", Key="console/assets/old-build.js", Body=b"old")
        distribution = session.client("cloudfront").create_distribution(
            DistributionConfig={
                "CallerReference": "console",
                "Comment": "",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "console",
                            "DomainName": "console-files.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "console",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "MinTTL": 0,
                },
            }
        )["Distribution"]["Id"]
        outputs = {
            "ConsoleBucketName": "console-files",
            "ConsoleDistributionId": distribution,
            "JwtIssuer": "https://id.example.eu/realms/hotels",
            "ConsoleClientId": "hotelvoice-console",
            "ConsoleUrl": "https://d1.cloudfront.net/console/",
        }
        template = {
            "Resources": {"Nothing": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {k: {"Value": v} for k, v in outputs.items()},
        }
        session.client("cloudformation").create_stack(
            StackName="hotelvoice-test", TemplateBody=json.dumps(template)
        )
        dist = tmp_path / "dist"
        (dist / "assets").mkdir(parents=True)
        (dist / "index.html").write_text("<!doctype html><title>c</title>")
        (dist / "assets" / "index-new.js").write_text("console.log(1)")
        (dist / "config.json").write_text('{"dev_sign_in": true}')  # a local leftover
        yield session, dist


def test_publish_uploads_the_build_with_a_deployed_configuration(deployed):
    session, dist = deployed
    outputs = stack_outputs("hotelvoice-test", session)
    written = publish(outputs, session, dist)
    assert written[-1] == "console/index.html"  # the page last: it names the new assets
    s3 = session.client("s3")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="console-files")["Contents"]}
    assert keys == {"console/index.html", "console/assets/index-new.js", "console/config.json"}
    config = json.loads(
        s3.get_object(Bucket="console-files", Key="console/config.json")["Body"].read()
    )
    assert config["dev_sign_in"] is False
    assert config["oidc"] == {
        "issuer": "https://id.example.eu/realms/hotels",
        "client_id": "hotelvoice-console",
        "scope": "openid",
    }
    page = s3.head_object(Bucket="console-files", Key="console/index.html")
    asset = s3.head_object(Bucket="console-files", Key="console/assets/index-new.js")
    assert page["CacheControl"] == "no-cache"
    assert page["ContentType"] == "text/html"
    assert "immutable" in asset["CacheControl"]
    invalidations = session.client("cloudfront").list_invalidations(
        DistributionId=outputs["ConsoleDistributionId"]
    )["InvalidationList"]
    assert invalidations["Quantity"] == 1
    assert re.fullmatch(r"\w+", invalidations["Items"][0]["Id"])
    assert len(FORGOTTEN) == 3


def test_publish_refuses_a_missing_build(deployed, tmp_path):
    session, _ = deployed
    with pytest.raises(SystemExit, match="make console"):
        publish(stack_outputs("hotelvoice-test", session), session, tmp_path / "empty")


def test_a_recording_link_is_on_the_one_host_the_console_may_play_from(monkeypatch):
    """On AWS (no local endpoint), presigned S3 links use the bucket's regional host."""
    from hotelvoice import aws
    from hotelvoice.settings import get_settings

    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "presign-only")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "presign-only")
    aws.reset_clients()
    try:
        url = aws.client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": "hv-recordingsbucket-1a2b", "Key": "recordings/c/x.ogg"},
            ExpiresIn=300,
        )
    finally:
        aws.reset_clients()
    config = RESOURCES["ConsoleHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    template_policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"][
        "ContentSecurityPolicy"
    ]["Fn::Sub"][0]
    region = get_settings().aws_region
    policy = template_policy.replace("${RecordingsBucket}", "hv-recordingsbucket-1a2b").replace(
        "${AWS::Region}", region
    )
    media = [s for s in _policy_directives(policy)["media-src"].split() if s.startswith("https")]
    assert media == [f"https://hv-recordingsbucket-1a2b.s3.{region}.amazonaws.com"]
    assert url.startswith(media[0] + "/recordings/c/x.ogg?")
    other = url.replace("hv-recordingsbucket-1a2b", "someone-elses-bucket")
    assert not any(other.startswith(m + "/") for m in media)
