"""What a function resumed from a SnapStart snapshot renews, and that the template asks for it."""

from __future__ import annotations

import random

from functions import snapshot
from hotelvoice import aws
from local_mode.template import load_template


def test_a_resumed_copy_gets_new_clients_and_its_own_randomness():
    first = aws.client("sqs")
    assert aws.client("sqs") is first  # cached, as every request of one copy shares it
    random.seed(42)
    as_snapshotted = random.getstate()
    snapshot.after_restore()
    assert aws.client("sqs") is not first
    assert random.getstate() != as_snapshotted  # two copies would otherwise draw alike


def test_the_hook_is_registered_only_where_lambda_provides_the_library():
    assert snapshot.register() is False  # not Lambda's runtime: nothing to register


def test_every_function_publishes_a_version_that_snapstart_can_snapshot():
    body = load_template().body
    function = body["Globals"]["Function"]
    assert function["AutoPublishAlias"] == "live"
    assert function["SnapStart"] == {"ApplyOn": {"Ref": "SnapStart"}}
    assert body["Parameters"]["SnapStart"]["AllowedValues"] == ["PublishedVersions", "None"]
    for resource in body["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            assert "SnapStart" not in resource.get("Properties", {})  # none opts out
