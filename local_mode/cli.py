"""The ``hotelvoice`` command: demo, local API, scripted calls, local tokens."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from hotelvoice.auth import Role, mint_token
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
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

    call = sub.add_parser("call", help="a scripted text call through the real agent")
    call.add_argument("--say", action="append", required=True, help="a caller line (repeat)")
    call.add_argument("--json", action="store_true", help="print the transcript as JSON")
    call.add_argument("--hotel", default=DEMO_HOTEL_ID)
    call.add_argument("--api-url", help="a running API (e.g. `make api`); default: embedded")

    token = sub.add_parser("token", help="mint a local-mode bearer token")
    token.add_argument("--role", choices=[r.value for r in Role], required=True)
    token.add_argument("--hotel", action="append", help="hotel id (repeat); default: all")
    token.add_argument("--ttl", type=int, default=3600, help="seconds")

    args = parser.parse_args(argv)
    os.environ.setdefault("HOTELVOICE_LOCAL_MODE", "true")
    if args.command == "demo":
        from local_mode.demo import run_demo

        run_demo(args.out, speech=not args.no_speech)
        return 0
    if args.command == "api":
        return _serve_api(args.host, args.port)
    if args.command == "call":
        return _call(args.say, as_json=args.json, hotel_id=args.hotel, api_url=args.api_url)
    print(mint_token("local-cli", Role(args.role), args.hotel or ["*"], ttl_s=args.ttl))
    return 0


def _serve_api(host: str, port: int) -> int:
    from local_mode.control_plane import LocalControlPlane

    plane = LocalControlPlane(quiet=False).start()
    url = plane.serve(host, port)
    print(f"hotelvoice local API on {url} (AWS: moto at {plane.endpoint_url})")
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


def _call(lines: list[str], *, as_json: bool, hotel_id: str, api_url: str | None) -> int:
    from hotelvoice.settings import get_settings
    from local_mode.control_plane import LocalControlPlane
    from realtime_agent.text_call import run_text_call

    plane = None
    if api_url is None:
        plane = LocalControlPlane().start()
        api_url = plane.serve()
    os.environ["HOTELVOICE_API_URL"] = api_url
    get_settings.cache_clear()
    try:
        transcript = asyncio.run(
            run_text_call(
                lines,
                settings=get_settings(),
                credentials=service_auth(),
                hotel_id=hotel_id,
                today=plane.today if plane else datetime.now(UTC).date(),
            )
        )
        if plane is not None:
            plane.drain()
    finally:
        if plane is not None:
            plane.stop()
    print(transcript.model_dump_json(indent=2) if as_json else transcript.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
