"""A stand-in for Lambda's SQS event source mapping, read from the template.

It receives up to ``BatchSize`` messages, invokes the function with a real SQS event, deletes
what succeeded and leaves the rest on the queue. With ``ReportBatchItemFailures`` only the
listed messages are failures; without it (or when the handler raises) the whole batch is.
Failed messages become visible again after ``retry_delay_s`` (Lambda waits for the queue's
visibility timeout; locally that would make tests slow), and the queue's own redrive policy
moves them to the dead-letter queue after ``maxReceiveCount`` receives.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

from hotelvoice import aws
from local_mode.lambda_runtime import LocalFunction

log = logging.getLogger("hotelvoice.local.sqs")


class SqsEventSource:
    """Polls one queue for one function."""

    def __init__(
        self,
        function: LocalFunction,
        queue_url: str,
        queue_arn: str,
        region: str,
        batch_size: int,
        report_batch_item_failures: bool,
        retry_delay_s: int = 0,
        endpoint_url: str | None = None,
    ) -> None:
        self.function = function
        self.endpoint_url = endpoint_url
        """The plane's own moto: its poller keeps to it whatever the process's environment."""
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self.region = region
        self.batch_size = min(batch_size, 10)
        self.report_failures = report_batch_item_failures
        self.retry_delay_s = retry_delay_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self, wait_s: int = 0) -> int:
        """Receive and process one batch; returns how many messages it held."""
        sqs = aws.client("sqs", self.endpoint_url)
        messages = sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=wait_s,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(m) for m in messages]}
        failed = self._invoke(event, messages)
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        for message in messages:
            if message["MessageId"] in failed:
                sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_delay_s,
                )
        return len(messages)

    def drain(self, timeout_s: float = 30.0) -> None:
        """Process until the queue is empty (tests and the demo wait for the records)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.poll_once() == 0 and self._pending() == 0:
                return
        raise TimeoutError(f"queue {self.queue_url} not drained in {timeout_s}s")

    def start(self) -> SqsEventSource:
        """Poll in a background thread (long polling, like the real mapping)."""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling after the current batch."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once(wait_s=1)
            except Exception:  # the mapping keeps polling whatever one batch did
                log.exception("local SQS event source failed a poll")
                time.sleep(0.5)

    def _invoke(self, event: dict[str, Any], messages: list[dict[str, Any]]) -> set[str]:
        all_ids = {m["MessageId"] for m in messages}
        try:
            result = self.function.invoke(event)
        except Exception:
            log.exception("consumer raised; the whole batch returns to the queue")
            return all_ids
        if not self.report_failures:
            return set()
        failures = (result or {}).get("batchItemFailures", [])
        return {f["itemIdentifier"] for f in failures} & all_ids

    def _pending(self) -> int:
        attributes = aws.client("sqs", self.endpoint_url).get_queue_attributes(
            QueueUrl=self.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody")
            or hashlib.md5(  # noqa: S324 - SQS's own digest
                message["Body"].encode()
            ).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }
