"""The ``hotelvoice`` command: demo, local API, scripted calls, tokens, privacy, PMS check."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotelvoice.auth import Role, mint_token
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from realtime_agent.call_script import Press, Say, Silence
from realtime_agent.service_auth import service_auth


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="hotelvoice", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="play a whole simulated hotel call on this machine")
    demo.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    demo.add_argument("--no-speech", action="store_true", help="text only, no TTS/ASR")

    api = sub.add_parser("api", help="serve the local control plane with seeded demo data")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=3000)
    api.add_argument(
        "--aws-endpoint",
        help="a running moto server to create the resources in (default: start one)",
    )
    api.add_argument(
        "--state", type=Path, help="write the moto URL and created resources here, for --attach"
    )
    api.add_argument(
        "--attach",
        type=Path,
        metavar="STATE",
        help="serve the moto server and resources a --state file names: nothing is created "
        "or seeded (restart an API without losing its data)",
    )

    call = sub.add_parser(
        "call",
        help="a scripted text call through the real agent",
        description="Steps run in the order given: --say 'hello' --press 2 --say 'HV1042' …",
    )
    call.add_argument("--say", dest="steps", action=_StepAction, step=Say, help="a caller line")
    call.add_argument("--press", dest="steps", action=_StepAction, step=Press, help="a key (DTMF)")
    call.add_argument(
        "--silence", dest="steps", action=_StepAction, step=Silence, nargs=0, help="caller silent"
    )
    call.add_argument("--json", action="store_true", help="print the transcript as JSON")
    call.add_argument("--hotel", default=DEMO_HOTEL_ID)
    call.add_argument("--language", help="the caller's language at the start (default: detect)")
    call.add_argument("--caller", help="the caller id (E.164), as the SIP trunk reports it")
    call.add_argument("--api-url", help="a running API (e.g. `make api`); default: embedded")

    token = sub.add_parser("token", help="mint a local-mode bearer token")
    token.add_argument("--role", choices=[r.value for r in Role], required=True)
    token.add_argument("--hotel", action="append", help="hotel id (repeat); default: all")
    token.add_argument("--ttl", type=int, default=3600, help="seconds")

    _add_privacy_parser(sub)

    pms = sub.add_parser("pms", help="check a hotel's PMS connection")
    pms.add_argument("action", choices=["check"])
    pms.add_argument("--hotel", required=True, help="the hotel id whose configuration to try")

    args = parser.parse_args(argv)
    os.environ.setdefault("HOTELVOICE_LOCAL_MODE", "true")
    if args.command == "demo":
        from local_mode.demo import run_demo

        run_demo(args.out, speech=not args.no_speech)
        return 0
    if args.command == "api":
        return _serve_api(args.host, args.port, args.aws_endpoint, args.state, args.attach)
    if args.command == "call":
        if not args.steps:
            parser.error("call: give at least one --say, --press or --silence")
        return _call(args)
    if args.command == "privacy":
        return _privacy(parser, args)
    if args.command == "pms":
        from local_mode.pms_check import run_check

        return run_check(args.hotel, sys.stdout)
    print(mint_token("local-cli", Role(args.role), args.hotel or ["*"], ttl_s=args.ttl))
    return 0


def _add_privacy_parser(sub: Any) -> None:
    """``hotelvoice privacy export|erase``: a guest's access or erasure request."""
    privacy = sub.add_parser(
        "privacy",
        help="answer a guest's access or erasure request (GDPR Art. 15 / 17)",
        description="Export or erase one guest of one hotel through a running API "
        "(`make api`, or --api-url). Name the guest by any of phone, e-mail, name, code.",
    )
    privacy.add_argument("action", choices=["export", "erase"])
    privacy.add_argument("--hotel", default=DEMO_HOTEL_ID)
    privacy.add_argument("--phone", help="the number they called from, any format")
    privacy.add_argument("--email")
    privacy.add_argument("--first-name")
    privacy.add_argument("--last-name")
    privacy.add_argument("--code", help="a booking's confirmation code")
    privacy.add_argument("--api-url", default="http://127.0.0.1:3000")
    privacy.add_argument("--token", help="an admin token (default: a local-mode one)")


def _privacy(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """POST the request and print the export or the erasure report as JSON."""
    import httpx

    subject: dict[str, Any] = {
        key: value
        for key, value in (
            ("phone", args.phone),
            ("email", args.email),
            ("confirmation_code", args.code),
        )
        if value
    }
    if args.first_name or args.last_name:
        if not (args.first_name and args.last_name):
            parser.error("privacy: a name needs both --first-name and --last-name")
        subject["name"] = {"first": args.first_name, "last": args.last_name}
    if not subject:
        parser.error("privacy: name the guest by --phone, --email, a name or --code")
    token = args.token or mint_token("local-cli-privacy", Role.ADMIN, [args.hotel], ttl_s=300)
    try:
        response = httpx.post(
            f"{args.api_url.rstrip('/')}/v1/privacy/{args.action}",
            json={"hotel_id": args.hotel, "subject": subject},
            headers={"authorization": f"Bearer {token}"},
            timeout=60,
        )
    except httpx.HTTPError as exc:
        print(
            f"hotelvoice privacy: no API at {args.api_url} ({type(exc).__name__}); "
            "start one with `make api`",
            file=sys.stderr,
        )
        return 2
    if response.status_code >= 400:
        print(f"hotelvoice privacy: {response.status_code} {response.text}", file=sys.stderr)
        return 2
    print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    return 0


def _serve_api(
    host: str,
    port: int,
    aws_endpoint: str | None = None,
    state: Path | None = None,
    attach: Path | None = None,
) -> int:
    from local_mode.console_site import console_hint, local_console
    from local_mode.control_plane import LocalControlPlane
    from local_mode.demo_calls import demo_hotels

    if attach is not None:
        plane = LocalControlPlane.attached(attach, quiet=False).start()
    else:
        plane = LocalControlPlane(endpoint_url=aws_endpoint, quiet=False, seed_calls=True).start()
    if state is not None:
        plane.save_state(state)
    console = local_console(demo_hotels(), media=[plane.endpoint_url or ""])
    url = plane.serve(host, port, console=console)
    print(f"hotelvoice local API on {url} (AWS: moto at {plane.endpoint_url})")
    print(f"Console: {url}/console/ ({console_hint(console)})")
    print(f"Seeded demo hotel: {DEMO_HOTEL_ID}. Routes:")
    for route in plane.template.routes():
        print(f"  {route.method:5} {route.path}")
    print("\nTokens (1 h):")
    for role in (Role.SERVICE, Role.STAFF, Role.ADMIN):
        hotels = [DEMO_HOTEL_ID] if role is Role.STAFF else ["*"]
        print(f"  {role.value:8} {plane.token(role, hotels, subject=f'local-{role.value}')}")
    print(f"\ncurl -H 'Authorization: Bearer <service token>' {url}/v1/hotels/{DEMO_HOTEL_ID}/info")
    print("Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        plane.stop()
    return 0


class _StepAction(argparse.Action):
    """Keep --say/--press/--silence in the order they were given, as one list of steps."""

    def __init__(self, *args: Any, step: type, **kwargs: Any) -> None:
        self.step = step
        super().__init__(*args, **kwargs)

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        steps = list(getattr(namespace, self.dest, None) or [])
        steps.append(self.step() if self.step is Silence else self.step(values))
        setattr(namespace, self.dest, steps)


def _call(args: argparse.Namespace) -> int:
    from hotelvoice.errors import HotelVoiceError
    from hotelvoice.settings import get_settings
    from local_mode.control_plane import LocalControlPlane
    from realtime_agent.scripted_call import run_scripted_call

    plane = None
    api_url = args.api_url
    if api_url is None:
        plane = LocalControlPlane().start()
        api_url = plane.serve()
    os.environ["HOTELVOICE_API_URL"] = api_url
    get_settings.cache_clear()
    try:
        transcript = asyncio.run(
            run_scripted_call(
                args.steps,
                settings=get_settings(),
                credentials=service_auth(),
                hotel_id=args.hotel,
                language=args.language,
                caller_number=args.caller,
                today=plane.today if plane else datetime.now(UTC).date(),
            )
        )
        if plane is not None:
            plane.drain()
    except HotelVoiceError as exc:  # e.g. a hotel without a configuration: say so, no trace
        print(f"hotelvoice call: {exc}", file=sys.stderr)
        return 2
    finally:
        if plane is not None:
            plane.stop()
    print(transcript.model_dump_json(indent=2) if args.json else transcript.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
