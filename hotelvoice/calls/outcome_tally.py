"""Each call counted once by how it ended, whoever said so first: the agent or LiveKit.

``CallsEnded`` (by outcome) feeds the calls-by-outcome chart, the containment ratio and the
alarms. The agent reports how a call ended with ``call.ended``; a call no agent answered,
or whose agent died, has no such event, and only LiveKit's ``room_finished`` closes it (as
``unanswered`` or ``agent_failed``). Counting both would count a call twice, and counting
the first outcome stored would count LiveKit's provisional ``agent_failed`` for every
caller who hangs up before the agent reports (the caller's ``participant_left`` is often
applied first). So the count is claimed once per call, on the summary itself, at the
agent's ``call.ended`` or at the room's end, whichever is applied first: by then the
agent has normally spoken (it reports before it closes the room).
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from hotelvoice import aws

COUNTED = "outcome_counted"
"""The summary attribute that holds the outcome the call was counted under."""


class OutcomeTally:
    """Claims a call's one count in the calls table."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    def claim(self, call_id: str) -> str | None:
        """The call's outcome, the first time this is asked after it has one; else ``None``.

        One conditional write: two consumers racing on the same call count it once, and an
        erased call is not counted (its summary no longer holds an outcome).
        """
        try:
            answer = aws.resource_table(self._table_name).update_item(
                Key={"pk": f"CALL#{call_id}", "sk": "SUMMARY"},
                UpdateExpression=f"SET {COUNTED} = outcome",
                ConditionExpression=f"attribute_exists(outcome) AND attribute_not_exists({COUNTED})"
                " AND attribute_not_exists(erased_at)",
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return str(answer["Attributes"][COUNTED])
