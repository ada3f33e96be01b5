"""The ``hotelvoice`` console script: scripted calls, JSON schema, tokens, the demo."""

from __future__ import annotations

import json
import subprocess
import sys

import jwt
import pytest

from hotelvoice.pms.demo_hotel import reservations
from local_mode.cli import main
from local_mode.spoken import spoken_code
from realtime_agent.transcript import CallTranscript


def hotelvoice(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "local_mode.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_call_json_against_a_running_api(plane, api_url):
    booking = next(
        r["reservation"]
        for r in reservations(plane.today)
        if r["reservation"]["status"] == "confirmed"
    )
    result = hotelvoice(
        "call",
        "--json",
        "--api-url",
        api_url,
        "--say",
        "hello",
        "--say",
        "I want to check my booking",
        "--say",
        spoken_code(booking["confirmation_code"]),
        "--say",
        booking["guest_last_name"],
        "--say",
        "goodbye",
    )
    assert result.returncode == 0, result.stderr
    transcript = CallTranscript.model_validate_json(result.stdout)
    assert transcript.schema_version == 1
    assert transcript.hotel_id == "aurora-berlin"
    assert transcript.dialogue_engine == "fallback-policy"
    assert [t.role for t in transcript.turns] == ["agent", "caller"] * 5 + ["agent"]
    lookup = next(t for t in transcript.turns if t.tool_calls)
    call = lookup.tool_calls[0]
    assert call.name == "find_reservation"
    assert call.arguments == {
        "confirmation_code": booking["confirmation_code"],
        "last_name": booking["guest_last_name"],
    }
    assert json.loads(call.result)["arrival"] == booking["arrival"]
    assert call.duration_ms > 0
    assert transcript.outcome == "completed"


def test_token_command_mints_a_verifiable_token(capsys):
    assert main(["token", "--role", "staff", "--hotel", "aurora-berlin"]) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), options={"verify_signature": False})
    assert (claims["role"], claims["hotels"]) == ("staff", ["aurora-berlin"])


def test_unknown_role_is_refused():
    with pytest.raises(SystemExit) as exited:
        main(["token", "--role", "root"])
    assert exited.value.code == 2


def test_help_lists_every_command():
    result = hotelvoice("--help")
    assert result.returncode == 0
    assert all(cmd in result.stdout for cmd in ("demo", "api", "call", "token"))


FIVE_LANGUAGES = {
    "en": ("is breakfast included", "breakfast"),
    "de": ("Ist das Frühstück inklusive?", "Frühstück"),
    "fr": ("Le petit-déjeuner est-il compris ?", "petit-déjeuner"),
    "es": ("¿El desayuno está incluido?", "desayuno"),
    "it": ("La colazione è inclusa?", "colazione"),
}


@pytest.mark.parametrize("language", sorted(FIVE_LANGUAGES))
def test_call_json_in_five_languages(api_url, capsys, language):
    question, topic_word = FIVE_LANGUAGES[language]
    code = main(["call", "--json", "--api-url", api_url, "--say", question, "--press", "0"])
    assert code == 0
    out = capsys.readouterr().out  # in process: the local API's metric lines come first
    transcript = CallTranscript.model_validate_json(out[out.index('{\n  "schema_version"') :])
    assert transcript.final_language == language
    answer = next(t for t in transcript.turns if t.tool_calls)
    assert answer.tool_calls[0].name == "get_hotel_info"
    assert answer.tool_calls[0].arguments == {"topic": "breakfast"}
    assert topic_word.lower() in answer.text.lower()
    # Key 0 asks for the front desk; a text call has no line to transfer, so the attempt
    # fails and is shown, and the caller is offered a message instead.
    assert [(t.reason, t.succeeded) for t in transcript.transfers] == [("menu", False)]


def test_call_for_a_hotel_without_configuration_is_a_clear_error(api_url, capsys):
    code = main(["call", "--api-url", api_url, "--hotel", "no-such-hotel", "--say", "hello"])
    assert code == 2
    assert "no configuration for hotel no-such-hotel" in capsys.readouterr().err


def test_privacy_export_and_erase_against_a_running_api(plane, api_url, service_headers):
    call_id = "call-cli-privacy-1"
    started = {
        "type": "call.started",
        "event_id": f"{call_id}:started",
        "call_id": call_id,
        "occurred_at": "2026-12-01T10:00:00Z",
        "hotel_id": "aurora-berlin",
        "language": "en",
        "caller_number": "+4917100000077",
    }
    answer = plane.api.request(
        "POST",
        f"/v1/calls/{call_id}/events",
        {**service_headers, "content-type": "application/json"},
        json.dumps(started),
    )
    assert answer.status == 202
    plane.drain()
    exported = hotelvoice("privacy", "export", "--api-url", api_url, "--phone", "0049 171 00000077")
    assert exported.returncode == 0, exported.stderr
    assert [c["call_id"] for c in json.loads(exported.stdout)["export"]["calls"]] == [call_id]
    erased = hotelvoice("privacy", "erase", "--api-url", api_url, "--phone", "+4917100000077")
    assert erased.returncode == 0, erased.stderr
    assert json.loads(erased.stdout)["calls"] == [call_id]
    again = hotelvoice("privacy", "export", "--api-url", api_url, "--phone", "+4917100000077")
    assert json.loads(again.stdout)["export"]["calls"] == []


def test_privacy_needs_a_guest_and_says_what_the_api_refused(api_url):
    nobody = hotelvoice("privacy", "export", "--api-url", api_url)
    assert nobody.returncode == 2
    assert "name the guest" in nobody.stderr
    bad = hotelvoice("privacy", "erase", "--api-url", api_url, "--phone", "call me")
    assert bad.returncode == 2
    assert "400" in bad.stderr


def test_pms_check_tries_each_kind_of_read_and_says_what_works(plane, capsys):
    assert main(["pms", "check", "--hotel", "aurora-berlin"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["ok", "ok", "ok"]
    assert "Aurora" in lines[0]
    assert "not found" in lines[2]


def test_pms_check_fails_loudly_for_a_hotel_whose_connector_is_not_built(
    plane, capsys, monkeypatch
):
    from datetime import UTC, datetime

    from hotelvoice import aws
    from hotelvoice.contracts.hotels import HotelConfig
    from hotelvoice.hotels.store import _config_key
    from hotelvoice.pms.registry import CONNECTORS, forget_config

    # A configuration stored by a release that had the connector, read by one without it.
    monkeypatch.delitem(CONNECTORS, "opera", raising=False)
    stored = HotelConfig(
        hotel_id="legacy-opera",
        version=1,
        updated_at=datetime.now(UTC),
        updated_by="an older release",
        dialled_numbers=["+4989555000999"],
        front_desk="tel:+4989555000000",
        pms={"connector": "opera", "property_id": "H1"},
    )
    aws.client("dynamodb").put_item(
        TableName=plane.resources.refs["HotelsTable"],
        Item={**_config_key("legacy-opera"), "config": {"S": stored.model_dump_json()}},
    )
    forget_config("legacy-opera")
    assert main(["pms", "check", "--hotel", "legacy-opera"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL connector")
    assert "not available" in out
