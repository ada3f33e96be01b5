"""Every AWS call a function makes is allowed by its own policy in ``template.yaml``.

A tour of the local control plane (a call's events and webhooks, a booking with its
confirmation mail, the front desk's reads, a hotel's configuration, speech, a privacy export
and erasure, the retention run) records each AWS request with the function that made it
(``local_mode.lambda_runtime.INVOKING``), turns it into the IAM action and resource ARN that
AWS would authorise, and checks it against that function's statements: its inline ones and
its SAM policy templates, expanded with the SAM CLI's own template definitions. A missing
grant is an AccessDenied in production that local mode (no IAM) would never show.

The other direction is reported, not asserted: the grants no call of the tour used are
printed for each function (``pytest -s``). Which of them a run uses depends on what the
shared plane's processes cached before (a secret read once serves a warm function for
minutes), so a list to compare against would fail by the order of tests, not by a grant.
"""

from __future__ import annotations

import fnmatch
import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from botocore.client import BaseClient

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from local_mode.lambda_runtime import INVOKING
from local_mode.resources import ACCOUNT_ID, LocalResources
from local_mode.template import load_template
from tests.functions.call_event_wire import call_event, post_json

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()
POLICY_TEMPLATES = sorted(
    REPO.glob(".tools/sam/lib/python*/site-packages/samtranslator/policy_templates_data/"
              "policy_templates.json")
)  # fmt: skip


class Call:
    """One AWS request as IAM sees it: who, which action, on what."""

    def __init__(self, function: str, action: str, resource: str) -> None:
        self.function, self.action, self.resource = function, action, resource

    def __repr__(self) -> str:
        return f"{self.function}: {self.action} on {self.resource}"


def _resource_arn(resources: LocalResources, service: str, kind: str, name: str) -> str:
    region = resources.region
    if service == "dynamodb":
        return f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"
    if service == "sqs":
        return f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{urlparse(name).path.rsplit('/', 1)[-1]}"
    if service == "kms":
        key = name.rsplit("/", 1)[-1]
        return f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{key}"
    if service == "secretsmanager":
        if name.startswith("arn:"):
            return name
        return f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:{name}-??????"
    raise AssertionError(f"no ARN rule for {service} {kind} {name}")


_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}
_TRANSACT["ConditionCheck"] = "ConditionCheckItem"
_S3_OBJECT = {"HeadObject": "GetObject", "GetObject": "GetObject", "PutObject": "PutObject"}
_S3_OBJECT |= {"DeleteObject": "DeleteObject", "CopyObject": "PutObject"}


def iam_requests(resources: LocalResources, service: str, operation: str, params: dict):
    """The (action, resource ARN) pairs IAM authorises for one API call."""
    if service == "dynamodb":
        if operation == "TransactWriteItems":
            for item in params["TransactItems"]:
                (kind, body), *_ = item.items()
                arn = _resource_arn(resources, service, "table", body["TableName"])
                yield f"dynamodb:{_TRANSACT[kind]}", arn
            return
        if operation in ("BatchGetItem", "BatchWriteItem"):
            for table in params["RequestItems"]:
                yield f"dynamodb:{operation}", _resource_arn(resources, service, "table", table)
            return
        arn = _resource_arn(resources, service, "table", params["TableName"])
        if params.get("IndexName"):
            arn += f"/index/{params['IndexName']}"
        yield f"dynamodb:{operation}", arn
        return
    if service == "s3":
        bucket = params["Bucket"]
        if operation in _S3_OBJECT:
            yield f"s3:{_S3_OBJECT[operation]}", f"arn:aws:s3:::{bucket}/{params['Key']}"
            if operation == "CopyObject":
                source = params["CopySource"]
                source = (
                    source if isinstance(source, str) else f"{source['Bucket']}/{source['Key']}"
                )
                yield "s3:GetObject", f"arn:aws:s3:::{source.lstrip('/')}"
        elif operation == "DeleteObjects":
            for entry in params["Delete"]["Objects"]:
                yield "s3:DeleteObject", f"arn:aws:s3:::{bucket}/{entry['Key']}"
        elif operation in ("ListObjectsV2", "ListObjects"):
            yield "s3:ListBucket", f"arn:aws:s3:::{bucket}"
        else:
            raise AssertionError(f"no IAM rule for s3 {operation}")
        return
    if service == "sqs":
        action = "SendMessage" if operation == "SendMessageBatch" else operation
        yield f"sqs:{action}", _resource_arn(resources, service, "queue", params["QueueUrl"])
        return
    if service == "secretsmanager":
        arn = _resource_arn(resources, service, "secret", params["SecretId"])
        yield f"secretsmanager:{operation}", arn
        return
    if service == "kms":
        key = params.get("KeyId") or resources.refs["DataKey"]
        yield f"kms:{operation}", _resource_arn(resources, service, "key", key)
        return
    if service == "sesv2" or service == "ses":
        sender = params.get("FromEmailAddress") or params.get("Source") or ""
        domain = sender.rsplit("@", 1)[-1]
        yield "ses:SendEmail", f"arn:aws:ses:{resources.region}:{ACCOUNT_ID}:identity/{domain}"
        return
    raise AssertionError(f"no IAM rule for {service} {operation}")


# --------------------------------------------------------------------------- the policies


def _templates() -> dict[str, Any]:
    if not POLICY_TEMPLATES:
        pytest.skip("the SAM CLI is not installed in .tools/sam: run `make lint` or `make test`")
    return json.loads(POLICY_TEMPLATES[-1].read_text())["Templates"]


def _substitute(value: Any, params: dict[str, Any]) -> Any:
    """A SAM template's definition with its parameters (``{"Ref": "TableName"}``) given."""
    if isinstance(value, list):
        return [_substitute(v, params) for v in value]
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in params:
            return params[value["Ref"]]
        return {k: _substitute(v, params) for k, v in value.items()}
    return value


def _resolve(resources: LocalResources, value: Any) -> Any:
    """Intrinsics as CloudFormation gives them here (``Fn::Sub`` with variables too)."""
    if isinstance(value, list):
        return [_resolve(resources, v) for v in value]
    if not isinstance(value, dict):
        return value
    if "Fn::Sub" in value and isinstance(value["Fn::Sub"], list):
        text, variables = value["Fn::Sub"]
        for name, given in variables.items():
            text = text.replace("${" + name + "}", str(_resolve(resources, given)))
        return resources.resolve({"Fn::Sub": text})
    if "Fn::If" in value:
        name, if_true, if_false = value["Fn::If"]
        return _resolve(resources, if_true if resources.condition(name) else if_false)
    if any(k in value for k in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join")):
        return resources.resolve(value)
    return {k: _resolve(resources, v) for k, v in value.items()}


class Grant:
    """One statement of a function's policy, named for the report."""

    def __init__(self, name: str, statement: dict[str, Any]) -> None:
        self.name = name
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        self.actions = [actions] if isinstance(actions, str) else list(actions)
        self.resources = [resources] if isinstance(resources, str) else list(resources)
        self.allows = statement.get("Effect", "Allow") == "Allow"
        self.used = False

    def covers(self, call: Call) -> bool:
        return (
            self.allows
            and any(fnmatch.fnmatchcase(call.action, a) for a in self.actions)
            and any(fnmatch.fnmatchcase(call.resource, r) for r in self.resources)
        )


def grants_of(function: str, resources: LocalResources) -> list[Grant]:
    templates = _templates()
    props = TEMPLATE.resources[function]["Properties"]
    grants = []
    for n, policy in enumerate(props.get("Policies", [])):
        if isinstance(policy, dict) and "Statement" in policy:
            statements, name = policy["Statement"], f"inline #{n}"
        elif isinstance(policy, dict):
            (template, params), *_ = policy.items()
            definition = templates[template]["Definition"]
            statements = _substitute(definition, params)["Statement"]
            name = f"{template}({json.dumps(params)})"
        else:
            continue  # a managed policy by name: none of ours grants data access
        for statement in _resolve(resources, statements):
            grants.append(Grant(name, statement))
    return grants


# --------------------------------------------------------------------------- the tour


@pytest.fixture
def recorded(plane, monkeypatch) -> list[Call]:
    """Each AWS request the local plane's functions make while the test runs."""
    calls: list[Call] = []
    original = BaseClient._make_api_call

    def record(client: BaseClient, operation: str, params: dict) -> Any:
        function = INVOKING.get()
        if function is not None:
            service = client.meta.service_model.service_name
            for action, arn in iam_requests(plane.resources, service, operation, params):
                calls.append(Call(function, action, arn))
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return calls


def _tour(plane, service_headers: dict[str, str]) -> None:
    """One of nearly everything the functions do, through their routes, queue and schedule."""
    from tests.functions.test_hotel_config import admin as admin_json
    from tests.functions.test_hotel_config import put, settings_body, unique_hotel, unique_number
    from tests.functions.test_pms_write_routes import an_offer, booking, headers
    from tests.functions.test_webhook_call_records import deliver, sip_call

    admin = {"authorization": f"Bearer {plane.token(Role.ADMIN, [DEMO_HOTEL_ID])}"}
    json_admin = admin | {"content-type": "application/json"}
    staff = {"authorization": f"Bearer {plane.token(Role.STAFF, [DEMO_HOTEL_ID])}"}
    api = plane.api.request
    dialled = api("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/config", admin).json()["dialled_numbers"]
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    caller = f"+4930{random.randint(10**6, 10**7 - 1)}"
    call_id, deliveries = sip_call(
        f"lp-{uuid.uuid4().hex[:6]}", dialled[0], caller, start, "answered", DEMO_HOTEL_ID
    )
    for kind, body in deliveries:
        assert deliver(plane, service_headers, kind, body).status < 300
    message = call_event(
        call_id, "call.message", 20, start=start, message="Please call me back",
        callback_number=caller, language="en",
    )  # fmt: skip
    assert post_json(plane, service_headers, f"/v1/calls/{call_id}/events", message).status == 202
    plane.drain()

    stay, offer = an_offer(plane, 120)
    made = api(
        "POST",
        f"/v1/hotels/{DEMO_HOTEL_ID}/bookings",
        headers(plane, str(uuid.uuid4())),
        json.dumps(booking(stay, offer) | {"guest": booking(stay, offer)["guest"]
                                          | {"email": "lena.vogel@example.com"}}),
    )  # fmt: skip
    assert made.status == 201, made.body
    query = f"arrival={stay['arrival']}&departure={stay['departure']}&adults=2"
    assert (
        api("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/availability?{query}", headers(plane)).status == 200
    )
    assert api("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/info", headers(plane)).status == 200

    assert api("GET", f"/v1/calls?hotel_id={DEMO_HOTEL_ID}", staff).status == 200
    assert api("GET", f"/v1/calls/{call_id}", staff).status == 200
    inbox = api("GET", f"/v1/hotels/{DEMO_HOTEL_ID}/inbox", staff).json()
    for item in inbox["items"][:1]:
        path = f"/v1/hotels/{DEMO_HOTEL_ID}/inbox/{item['item_id']}/status"
        done = api("POST", path, staff | {"content-type": "application/json"},
                   json.dumps({"status": "done"}))  # fmt: skip
        assert done.status == 200, done.body
    today = date.today()
    stats = f"/v1/hotels/{DEMO_HOTEL_ID}/stats?since={today - timedelta(days=2)}&until={today}"
    assert api("GET", stats, staff).status == 200

    hotel = unique_hotel()
    created = put(plane, hotel, settings_body(0, unique_number()), admin_json(plane))
    assert created.status == 200, created.body

    room = "".join(chr(97 + int(c, 16)) for c in uuid.uuid4().hex[:6])  # no digits: cacheable
    speech = {
        "text": f"Breakfast is served in the {room} room.",
        "locale": "en-GB",
        "hotel_id": DEMO_HOTEL_ID,
        "delivery": "url",
    }
    spoken = api(
        "POST",
        "/v1/tts",
        service_headers | {"content-type": "application/json"},
        json.dumps(speech),
    )
    assert spoken.status == 200, spoken.body

    subject = {"hotel_id": DEMO_HOTEL_ID, "subject": {"phone": caller}}
    assert api("POST", "/v1/privacy/export", json_admin, json.dumps(subject)).status == 200
    assert api("POST", "/v1/privacy/erase", json_admin, json.dumps(subject)).status == 200
    plane.drain()
    plane.functions["RetentionFunction"].invoke({})


def test_every_aws_call_of_a_function_is_allowed_by_its_own_policy(
    plane, service_headers, recorded
):
    _tour(plane, service_headers)
    by_function: dict[str, list[Grant]] = {}
    denied = []
    for call in recorded:
        grants = by_function.setdefault(call.function, grants_of(call.function, plane.resources))
        covering = [g for g in grants if g.covers(call)]
        for grant in covering:
            grant.used = True
        if not covering:
            denied.append(call)
    assert not denied, "\n".join(sorted({repr(call) for call in denied}))
    for function, grants in sorted(by_function.items()):
        unused = sorted({f"{g.name}: {', '.join(g.actions)}" for g in grants if not g.used})
        print(f"{function} grants the tour did not use:", *unused, sep="\n  ")
    called = {c.function for c in recorded}
    functions = {f.logical_id for f in TEMPLATE.functions()}
    assert called == functions, f"the tour reached no AWS call of {functions - called}"


def test_the_check_tells_a_granted_call_from_one_the_policy_does_not_allow(plane):
    refs = plane.resources.refs
    hotels = _resource_arn(plane.resources, "dynamodb", "table", refs["HotelsTable"])
    calls_table = _resource_arn(plane.resources, "dynamodb", "table", refs["CallsTable"])
    pms = grants_of("PmsFunction", plane.resources)
    assert any(g.covers(Call("PmsFunction", "dynamodb:GetItem", hotels)) for g in pms)
    # The PMS function never writes call records, and no function may delete a queue.
    assert not any(g.covers(Call("PmsFunction", "dynamodb:PutItem", calls_table)) for g in pms)
    queue = _resource_arn(plane.resources, "sqs", "queue", refs["CallEventsQueue"])
    consumer = grants_of("CallEventsConsumerFunction", plane.resources)
    assert any(g.covers(Call("c", "sqs:ReceiveMessage", queue)) for g in consumer)
    assert not any(g.covers(Call("c", "sqs:DeleteQueue", queue)) for g in consumer)
