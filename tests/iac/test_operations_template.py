"""template.yaml is operable: alarms page someone, the dashboard shows metrics the code
emits, and the API writes an access log without personal data.

As in ``test_privacy_template.py``, each check is a function from a template body to its
problems, and each also runs against a broken copy (an alarm without its action, a
dashboard widget naming a metric nobody emits, a log line with the caller's IP), so no check
passes by finding nothing.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local_mode.template import load_template

BODY = load_template().body
REPO = Path(__file__).resolve().parents[2]
ALARM = "AWS::CloudWatch::Alarm"
TOPIC = "AlarmTopic"


def emitted_metrics() -> set[str]:
    """Every metric name the functions and the core publish (EMF, via Powertools)."""
    names: set[str] = set()
    for path in [*REPO.glob("functions/**/*.py"), *REPO.glob("hotelvoice/**/*.py")]:
        text = path.read_text()
        for call in re.finditer(r"(?:add_metric|single_metric)\(\s*name=(f?)\"([^\"]+)\"", text):
            fstring, name = call.groups()
            if fstring:  # name=f"PmsLatency{operation}": the fixed part is enough here
                names.add(name.split("{", 1)[0] + "*")
            else:
                names.add(name)
    return names


def _alarms(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        lid: r.get("Properties", {}) for lid, r in body["Resources"].items() if r["Type"] == ALARM
    }


def _watched(alarm: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(namespace, metric, dimensions) of every metric an alarm reads."""
    found = []
    if "MetricName" in alarm:
        dims = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
        found.append((alarm["Namespace"], alarm["MetricName"], dims))
    for query in alarm.get("Metrics", []):
        metric = query.get("MetricStat", {}).get("Metric")
        if metric:
            dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
            found.append((metric["Namespace"], metric["MetricName"], dims))
        expression = query.get("Expression", "")
        if isinstance(expression, dict):  # !Sub with the template's parameters
            expression = str(expression.get("Fn::Sub", ""))
        for name in re.findall(r"SELECT \w+\((\w+)\) FROM SCHEMA\((\w+)", expression):
            found.append((name[1], name[0], {}))
    return found


def _pages(alarm: dict[str, Any]) -> bool:
    return {"Ref": TOPIC} in alarm.get("AlarmActions", []) and {"Ref": TOPIC} in alarm.get(
        "OKActions", []
    )


WATCHED: dict[str, Callable[[str, str, dict[str, Any]], bool]] = {
    "the dead-letter queue": lambda ns, name, dims: (
        ns == "AWS/SQS"
        and name == "ApproximateNumberOfMessagesVisible"
        and dims.get("QueueName") == {"Fn::GetAtt": ["CallEventsDeadLetterQueue", "QueueName"]}
    ),
    "the API's 5xx": lambda ns, name, dims: (
        ns == "AWS/ApiGateway" and name == "5xx" and dims.get("ApiId") == {"Ref": "HotelVoiceApi"}
    ),
    "the consumer's errors": lambda ns, name, dims: (
        ns == "AWS/Lambda"
        and name == "Errors"
        and dims.get("FunctionName") == {"Ref": "CallEventsConsumerFunction"}
    ),
    "failed calls": lambda ns, name, dims: (
        ns == "HotelVoice" and name == "CallsEnded" and dims.get("outcome") == "failed"
    ),
    "open PMS breakers": lambda ns, name, dims: ns == "HotelVoice" and name == "PmsVendorLatency",
    "calls answered": lambda ns, name, dims: ns == "HotelVoice" and name == "CallsAnswered",
    "the retention sweep's errors": lambda ns, name, dims: (
        ns == "AWS/Lambda"
        and name == "Errors"
        and dims.get("FunctionName") == {"Ref": "RetentionFunction"}
    ),
}


def alarm_problems(body: dict[str, Any]) -> list[str]:
    """What must page someone and does not (no alarm, or an alarm with no action)."""
    problems = []
    alarms = _alarms(body)
    for what, matches in WATCHED.items():
        watching = [lid for lid, a in alarms.items() if any(matches(*m) for m in _watched(a))]
        if not watching:
            problems.append(f"no alarm watches {what}")
        elif not any(_pages(alarms[lid]) for lid in watching):
            problems.append(f"the alarm on {what} ({', '.join(watching)}) notifies nobody")
    return problems


def topic_problems(body: dict[str, Any]) -> list[str]:
    """The alarm topic is encrypted with the stack's key, which CloudWatch may then use."""
    problems = []
    topic = body["Resources"].get(TOPIC, {})
    if topic.get("Properties", {}).get("KmsMasterKeyId") != {"Ref": "DataKey"}:
        problems.append("the alarm topic is not encrypted with DataKey")
    statements = body["Resources"]["DataKey"]["Properties"]["KeyPolicy"]["Statement"]
    cloudwatch = [
        s for s in statements if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    actions = {a for s in cloudwatch for a in s["Action"]}
    if not {"kms:Decrypt", "kms:GenerateDataKey*"} <= actions:
        problems.append("CloudWatch cannot publish to the encrypted alarm topic")
    admitted = [
        statement
        for resource in body["Resources"].values()
        if resource["Type"] == "AWS::SNS::TopicPolicy"
        and {"Ref": TOPIC} in resource["Properties"]["Topics"]
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        if statement["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    if not admitted:
        problems.append("the alarm topic's policy does not admit CloudWatch alarms")
    elif not all("aws:SourceArn" in str(s.get("Condition")) for s in admitted):
        problems.append("the alarm topic admits any account's alarms")
    return problems


def dashboard_metrics(body: dict[str, Any]) -> set[str]:
    """HotelVoice metric names a dashboard shows (in metric rows and SEARCH expressions)."""
    names: set[str] = set()
    for resource in body["Resources"].values():
        if resource["Type"] != "AWS::CloudWatch::Dashboard":
            continue
        text = resource["Properties"]["DashboardBody"]["Fn::Sub"][0]
        widgets = json.loads(re.sub(r"\$\{[\w:.]+\}", "x", text))["widgets"]
        for widget in widgets:
            for row in widget["properties"].get("metrics", []):
                if row and row[0] == "HotelVoice":
                    names.add(row[1])
                for item in row:
                    if isinstance(item, dict) and "expression" in item:
                        names |= set(re.findall(r'MetricName=\\?"(\w+)\\?"', item["expression"]))
    return names


def dashboard_problems(body: dict[str, Any]) -> list[str]:
    """A dashboard exists, and each of its HotelVoice metrics is one the code publishes."""
    shown = dashboard_metrics(body)
    if not shown:
        return ["no dashboard shows the service's own metrics"]
    emitted = emitted_metrics()
    prefixes = {e[:-1] for e in emitted if e.endswith("*")}
    return [
        f"the dashboard shows {name}, which nothing publishes"
        for name in sorted(shown)
        if name not in emitted and not any(name.startswith(p) for p in prefixes)
    ]


ACCESS_LOG_FIELDS = {"$context.requestId", "$context.routeKey", "$context.status"}
PERSONAL_CONTEXT = (
    "$context.identity",  # sourceIp, userAgent, caller, user…
    "$context.path",  # the path with its values (a route key is its template)
    "$context.authorizer.claims",  # who signed in
    "$context.authorizer.principalId",
)


def access_log_problems(body: dict[str, Any]) -> list[str]:
    """The HTTP API logs each request as one JSON line, with no personal data in it."""
    settings = body["Resources"]["HotelVoiceApi"]["Properties"].get("AccessLogSettings")
    if not settings:
        return ["the HTTP API writes no access log"]
    line = settings["Format"]
    problems = []
    try:
        json.loads(line)
    except ValueError:
        problems.append("an access log line is not JSON")
    variables = set(re.findall(r"\$context\.[\w.]+", line))
    problems += [f"the access log lacks {name}" for name in sorted(ACCESS_LOG_FIELDS - variables)]
    problems += [
        f"the access log holds personal data: {name}"
        for name in sorted(variables)
        if name.startswith(PERSONAL_CONTEXT)
    ]
    return problems


def _with_source_ip(body: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(body)
    settings = broken["Resources"]["HotelVoiceApi"]["Properties"]["AccessLogSettings"]
    settings["Format"] = settings["Format"].replace(
        '"requestId"', '"ip":"$context.identity.sourceIp","requestId"'
    )
    return broken


def _without_action(body: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(body)
    del broken["Resources"]["CallEventsDeadLetterAlarm"]["Properties"]["AlarmActions"]
    return broken


def _unknown_metric(body: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(body)
    sub = broken["Resources"]["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    sub[0] = sub[0].replace('"WebhooksRejected"', '"WebhookRejections"')
    return broken


def _plain_topic(body: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(body)
    del broken["Resources"][TOPIC]["Properties"]["KmsMasterKeyId"]
    return broken


QUEUE_TAKERS = {"CallEventsConsumerFunction"}
"""The only function that may receive and delete call events: any other could lose one."""
_TAKING = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:*"}


def queue_access_problems(body: dict[str, Any]) -> list[str]:
    """Who may take call events off the queue: the consumer, nobody else (least privilege)."""
    problems = []
    for lid, resource in body["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        takes = False
        for policy in resource["Properties"].get("Policies", []):
            if "SQSPollerPolicy" in policy:
                takes |= "CallEventsQueue" in str(policy["SQSPollerPolicy"])
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = statement.get("Action", [])
                actions = {actions} if isinstance(actions, str) else set(actions)
                on_queue = "CallEventsQueue" in str(statement.get("Resource"))
                takes |= on_queue and bool(actions & _TAKING)
        if takes and lid not in QUEUE_TAKERS:
            problems.append(f"{lid} may take call events off the queue")
        if not takes and lid in QUEUE_TAKERS:
            problems.append(f"{lid} cannot take call events off the queue")
    return problems


def _health_polls_the_queue(body: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(body)
    policies = broken["Resources"]["CallsFunction"]["Properties"]["Policies"]
    policies.append(
        {"SQSPollerPolicy": {"QueueName": {"Fn::GetAtt": ["CallEventsQueue", "QueueName"]}}}
    )
    return broken


CHECKS = {
    "queue access": (queue_access_problems, _health_polls_the_queue, "CallsFunction may take"),
    "alarms": (alarm_problems, _without_action, "dead-letter queue"),
    "topic": (topic_problems, _plain_topic, "not encrypted"),
    "dashboard": (dashboard_problems, _unknown_metric, "WebhookRejections"),
    "access log": (access_log_problems, _with_source_ip, "identity.sourceIp"),
}


@pytest.mark.parametrize("check", list(CHECKS))
def test_the_template_holds(check: str) -> None:
    problems, _, _ = CHECKS[check]
    assert problems(BODY) == []


@pytest.mark.parametrize("check", list(CHECKS))
def test_the_check_sees_a_broken_template(check: str) -> None:
    problems, breaking, expected = CHECKS[check]
    found = problems(breaking(BODY))
    assert any(expected in p for p in found), found


def test_the_emitted_metrics_are_found_in_the_code() -> None:
    """The scan the dashboard check relies on sees what the functions publish."""
    assert {"CallsEnded", "CallEventsFailed", "WebhooksRejected", "PmsVendorLatency"} <= (
        emitted_metrics()
    )


class _Series:
    """A metric math time series: (hour, value or missing) per quarter-hour point."""

    def __init__(self, points: list[tuple[int, float | None]]) -> None:
        self.points = points

    def _map(self, f: Callable[[int, float | None], float | None]) -> _Series:
        return _Series([(h, f(h, v)) for h, v in self.points])

    def _zip(self, other: Any, f: Callable[[float, float], float]) -> _Series:
        if isinstance(other, _Series):
            return _Series(
                [(h, f(v, w)) for (h, v), (_, w) in zip(self.points, other.points, strict=True)]
            )
        return self._map(lambda _h, v: f(v, other))

    def __ge__(self, other: Any) -> _Series:
        return self._zip(other, lambda a, b: float(a >= b))

    def __lt__(self, other: Any) -> _Series:
        return self._zip(other, lambda a, b: float(a < b))

    def __and__(self, other: Any) -> _Series:
        return self._zip(other, lambda a, b: float(bool(a) and bool(b)))


def _metric_math(expression: str, answered: _Series) -> list[float | None]:
    """Evaluate the alarm's expression with the few functions it uses, as CloudWatch does."""
    functions = {
        "FILL": lambda s, value: s._map(lambda _h, v: value if v is None else v),
        "HOUR": lambda s: s._map(lambda h, _v: float(h)),
        "IF": lambda c, a, b: _Series(
            [
                (h, (a.points[i][1] if isinstance(a, _Series) else a) if cond else b)
                for i, (h, cond) in enumerate(c.points)
            ]
        ),
    }
    python = re.sub(r"\bAND\b", "&", " ".join(expression.split()))
    result = eval(python, {"__builtins__": {}}, {**functions, "answered": answered})
    return [v for _, v in result.points]


def _no_calls_alarm(start: int, end: int, minutes: int) -> dict[str, Any]:
    alarm = _alarms(BODY)["NoCallsAnsweredAlarm"]
    values = {"ServiceHoursStartUtc": start, "ServiceHoursEndUtc": end}
    watched = next(q for q in alarm["Metrics"] if q.get("ReturnData"))
    expression = re.sub(
        r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), watched["Expression"]["Fn::Sub"]
    )
    periods = BODY["Mappings"]["NoCallsWindow"][str(minutes)]["Periods"]
    return {"expression": expression, "periods": periods, "alarm": alarm}


def test_no_answered_calls_in_service_hours_pages_and_a_quiet_night_does_not() -> None:
    found = _no_calls_alarm(start=7, end=20, minutes=60)
    alarm = found["alarm"]
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    assert found["periods"] * 900 == 60 * 60  # quarter-hours: the hour asked for
    day = [(h, None) for h in range(24) for _ in range(4)]  # no call all day: no data at all
    points = _metric_math(found["expression"], _Series(day))
    by_hour = {h: points[4 * h] for h in range(24)}
    assert [h for h, v in by_hour.items() if v is not None and v < 1] == list(range(7, 20))
    busy = [(h, 3.0 if h % 2 else None) for h, _ in day]  # calls in every other hour
    answered = _metric_math(found["expression"], _Series(busy))
    assert all(v == 3.0 for (h, _), v in zip(busy, answered, strict=True) if h % 2 and 7 <= h < 20)


def test_the_no_calls_alarm_can_be_turned_off() -> None:
    alarm = BODY["Resources"]["NoCallsAnsweredAlarm"]
    assert alarm["Condition"] == "WatchesForNoCalls"
    condition = BODY["Conditions"]["WatchesForNoCalls"]
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "NoCallsAlarmMinutes"}, 0]}]}
    allowed = BODY["Parameters"]["NoCallsAlarmMinutes"]["AllowedValues"]
    assert {str(m) for m in allowed} == set(BODY["Mappings"]["NoCallsWindow"])
