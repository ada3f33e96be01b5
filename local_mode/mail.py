"""Guests' e-mail in local mode: the sender verified in moto's SES, the sent messages listed.

moto's SES refuses a sender it has no identity for, as SES does, so the local control plane
verifies the template's ``MailIdentity`` when it creates the resources. moto keeps every
message it accepted; :func:`sent_emails` reads them back from the moto server's
``/moto-api/data.json`` (the server runs in its own process), for the demo and for tests.

``python -m local_mode.mail --state out/local-state.json [--to ADDRESS]`` prints them.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotelvoice import aws


@dataclass(frozen=True)
class SentEmail:
    """One message moto's SES accepted."""

    message_id: str
    sender: str
    to: list[str]
    subject: str
    body: str


def verify_sender(parameters: dict[str, str]) -> None:
    """Create the template's ``MailIdentity`` in local SES, so the PMS function may send."""
    identity = parameters.get("MailIdentity")
    if identity:
        aws.client("sesv2").create_email_identity(EmailIdentity=identity)


SENT_EMAILS_TIMEOUT_S = 90.0


def sent_emails(endpoint_url: str, *, to: str | None = None) -> list[SentEmail]:
    """Every message moto's SES accepted (oldest first), or those to ``to``."""
    # moto has no SES outbox of its own: data.json dumps every model of every service, which
    # takes seconds on a busy shared machine once a plane has served a few hundred calls.
    url = f"{endpoint_url}/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=SENT_EMAILS_TIMEOUT_S) as answer:  # noqa: S310 - the local moto server
        data: dict[str, Any] = json.load(answer)
    found = [
        SentEmail(
            message_id=str(item.get("id", "")),
            sender=str(item.get("source", "")),
            to=list((item.get("destinations") or {}).get("ToAddresses", [])),
            subject=str(item.get("subject", "")),
            body=str(item.get("body", "")),
        )
        for item in data.get("ses", {}).get("Message", [])
    ]
    return [m for m in found if to is None or to in m.to]


def main(argv: list[str] | None = None) -> int:
    """Print the sent messages of a running local control plane (its ``--state`` file)."""
    parser = argparse.ArgumentParser(prog="python -m local_mode.mail", description=__doc__)
    parser.add_argument("--state", type=Path, required=True, help="the api's --state file")
    parser.add_argument("--to", help="only messages to this address")
    args = parser.parse_args(argv)
    state = json.loads(args.state.read_text(encoding="utf-8"))
    for message in sent_emails(state["endpoint_url"], to=args.to):
        sys.stdout.write(
            f"From: {message.sender}\nTo: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n{message.body}\n{'-' * 72}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
