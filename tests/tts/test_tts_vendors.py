"""engine_named: vendor engines from settings or Secrets Manager, or none without a key."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from peers.azure_speech_peer import AzureSpeechPeer
from peers.elevenlabs_peer import ElevenLabsPeer

from hotelvoice import aws
from hotelvoice.settings import Settings
from hotelvoice.tts.azure_engine import AzureSpeechEngine
from hotelvoice.tts.elevenlabs_engine import ElevenLabsEngine
from hotelvoice.tts.engine import AudioFormat, Voice
from hotelvoice.tts.vendors import engine_named

REGION = "eu-central-1"


def _settings(**values: object) -> Settings:
    """Settings without keys from the environment, plus ``values``."""
    blank = {
        "elevenlabs_api_key": "",
        "elevenlabs_api_key_secret_name": "",
        "azure_speech_key": "",
        "azure_speech_key_secret_name": "",
    }
    return Settings().model_copy(update=blank | values)


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Secrets Manager in moto; the secrets provider (and its client) built afresh."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # a local plane's moto server
    aws.reset_clients()
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)
    aws.reset_clients()


@pytest.mark.parametrize("name", ["elevenlabs", "azure"])
def test_no_credentials_means_no_engine(name: str) -> None:
    assert engine_named(name, _settings()) is None


def test_an_unknown_name_fails_loudly() -> None:
    with pytest.raises(ValueError, match="espeak"):
        engine_named("espeak", _settings())


async def test_keys_and_timeouts_come_from_settings() -> None:
    settings = _settings(
        elevenlabs_api_key="el-key",
        elevenlabs_model="eleven_turbo_v2_5",
        elevenlabs_zero_retention=True,
        azure_speech_key="az-key",
        azure_speech_region="swedencentral",
        tts_first_audio_timeout_s=1.5,
    )

    eleven = engine_named("elevenlabs", settings)
    azure = engine_named("azure", settings)

    assert isinstance(eleven, ElevenLabsEngine)
    assert (eleven.name, eleven.model, eleven.timeout_s) == ("elevenlabs", "eleven_turbo_v2_5", 1.5)
    assert eleven.zero_retention
    assert isinstance(azure, AzureSpeechEngine)
    assert (azure.name, azure.timeout_s) == ("azure", 1.5)
    await eleven.aclose()
    await azure.aclose()


async def test_keys_from_secrets_manager_reach_the_vendors(secrets) -> None:
    eleven_secret, azure_secret = f"el-{uuid.uuid4()}", f"az-{uuid.uuid4()}"
    secrets.create_secret(Name=eleven_secret, SecretString="el-secret-key")
    secrets.create_secret(Name=azure_secret, SecretString="az-secret-key")

    with (
        ElevenLabsPeer(api_key="el-secret-key") as eleven_peer,
        AzureSpeechPeer(key="az-secret-key") as azure_peer,
    ):
        settings = _settings(
            elevenlabs_api_key_secret_name=eleven_secret,
            elevenlabs_base_url=eleven_peer.base_url,
            azure_speech_key_secret_name=azure_secret,
            azure_speech_host=azure_peer.host,
        )
        for name, voice in [
            ("elevenlabs", Voice("elevenlabs", "21m00Tcm4TlvDq8ikWAM", "en-US")),
            ("azure", Voice("azure", "en-US-GuyNeural", "en-US")),
        ]:
            engine = engine_named(name, settings)
            assert engine is not None
            try:
                audio = [c async for c in engine.stream("Hello", voice, AudioFormat.PCM_8000)]
            finally:
                await engine.aclose()
            assert audio, f"{name} should have spoken with the key from Secrets Manager"


@pytest.mark.parametrize("name", ["elevenlabs", "azure"])
def test_the_templates_placeholder_secret_leaves_the_vendor_out(secrets, name: str) -> None:
    """template.yaml creates the key secrets holding "unset" until an operator fills them."""
    secret = f"{name}-{uuid.uuid4()}"
    secrets.create_secret(Name=secret, SecretString="unset")
    field = (
        "elevenlabs_api_key_secret_name" if name == "elevenlabs" else "azure_speech_key_secret_name"
    )
    assert engine_named(name, _settings(**{field: secret})) is None
