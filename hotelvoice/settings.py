"""One settings object for every deployable, read from the environment once.

Values come from ``template.yaml`` Globals/Environment in Lambda, from the task definition in
ECS, and from the local mode's own defaults on a laptop. Secrets are never values here: only
the *names* of Secrets Manager secrets, resolved through Powertools Parameters at run time.
"""

from __future__ import annotations

import threading
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hotelvoice.regions import require_eu_region

LOCAL_SIGNING_SECRET = "hotelvoice-local-mode-signing-secret-not-for-production"  # noqa: S105
"""Signs tokens in local mode only; production reads its key from Secrets Manager."""
LOCAL_SUBJECT_KEY = "hotelvoice-local-mode-subject-hash-key-not-for-production"
"""Keys the subject hashes in local mode only; production reads ``SubjectHashKey``."""
LOCAL_MAIL_FROM = "bookings@hotelvoice.example"
"""Sender of guests' e-mail in local mode (moto's SES, where local mode verifies it)."""
LOCAL_ISSUER = "hotelvoice"
"""``iss`` of HS256 tokens signed with the shared key (local mode, tests)."""


class Settings(BaseSettings):
    """Runtime configuration; env names are ``HOTELVOICE_<FIELD>`` unless noted."""

    model_config = SettingsConfigDict(env_prefix="HOTELVOICE_", extra="ignore")

    aws_region: str = Field(
        default="eu-central-1", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )
    local_mode: bool = False
    pms_table: str = "hotelvoice-pms"
    pms_base_urls: dict[str, str] = Field(
        default_factory=lambda: {
            "apaleo": "https://api.apaleo.com",
            "apaleo_identity": "https://identity.apaleo.com",
            "mews": "https://api.mews.com",
            "opera": "",
        }
    )
    """PMS vendors' API base URLs (``HOTELVOICE_PMS_BASE_URLS`` as JSON): production by
    default, a sandbox or a local mock where set. OPERA Cloud's gateway is the hotel
    group's own (``https://<tenant>.hospitality-api.<eu region>.ocs.oraclecloud.com``)."""
    pms_timeout_s: float = 3.0
    """Per request to a PMS vendor."""
    pms_budget_s: float = 6.0
    """The most one PMS call may take, retries included: a caller is waiting on the line."""
    calls_table: str = "hotelvoice-calls"
    idempotency_table: str = "hotelvoice-idempotency"
    hotels_table: str = "hotelvoice-hotels"
    """Hotel configurations and the dialled-number index (``hotelvoice.hotels.store``)."""
    call_events_queue_url: str = ""
    mail_from: str = LOCAL_MAIL_FROM
    """Sender of guests' e-mail (booking confirmations), an address of the SES identity the
    PMS function may send as (``MailFrom`` in ``template.yaml``); SES runs in ``aws_region``."""
    auth_issuer: str = LOCAL_ISSUER
    """``iss`` of accepted tokens. An issuer URL names an OpenID provider: tokens are then
    verified with its published keys (JWKS) and the local HS256 key is never accepted."""
    auth_audience: str = "hotelvoice-api"
    auth_jwks_url: str = ""
    """The provider's JWKS; empty: discovered from ``<issuer>/.well-known/openid-configuration``."""
    auth_jwks_cooldown_s: float = 30.0
    """Least time between refetches for an unknown ``kid``: rotation works, floods do not."""
    auth_role_claim: str = "role"
    """Claim naming the role: a string, or a list such as Entra ID's ``roles``."""
    auth_hotels_claim: str = "hotels"
    """Claim listing the hotel ids a principal may see (a list, or space-separated; ``*``: all)."""
    console_client_id: str = "hotelvoice-console"
    """The console's OAuth client at the OpenID provider: a public client (authorization code
    with PKCE, no secret) whose redirect URI is the console's address."""
    auth_token_url: str = ""
    """OAuth 2.0 token endpoint where the agent gets its service token (client credentials);
    empty: the agent signs its own token with the HS256 key (local mode)."""
    auth_client_id: str = ""
    auth_client_secret_name: str = ""
    """Secrets Manager name of the agent's OAuth client secret."""
    auth_client_secret: str = ""
    """The client secret itself, where the platform injects secrets as variables (ECS)."""
    auth_scope: str = ""
    """Scope requested with the client-credentials grant, if the provider needs one."""
    auth_secret_name: str = ""
    """Secrets Manager name of the HS256 signing key (Lambda reads it through Powertools)."""
    auth_signing_key: str = ""
    """The key itself, where the platform injects secrets as variables (ECS task ``Secrets``)."""
    max_body_bytes: int = 64 * 1024
    audit_table: str = ""
    """DynamoDB table of the append-only audit log; empty: auditing off (unit tests only)."""
    rate_limit_table: str = ""
    """DynamoDB table of per-principal request counters; empty: no per-principal limits."""
    rate_limits: dict[str, int] = Field(
        default_factory=lambda: {"service": 1200, "staff": 120, "admin": 120}
    )
    """Requests per minute per principal, by role (``HOTELVOICE_RATE_LIMITS`` as JSON)."""
    data_key_id: str = ""
    """KMS key (id, ARN or alias) that seals personal values stored beside their keyed hash
    (the caller's number): envelope encryption, one data key per process and hour."""
    subject_key_secret_name: str = ""
    """Secrets Manager name of the HMAC key behind every keyed hash of a guest (caller hash,
    the privacy index, erasure audit entries). It outlives the stack, like the audit log."""
    subject_key: str = ""
    """The HMAC key itself, where the platform injects secrets as variables (ECS)."""
    recordings_bucket: str = ""
    """Where LiveKit egress writes call recordings (``recordings/<hotel>/<call>.ogg``)."""
    privacy_exports_bucket: str = ""
    """Large privacy exports go here, read through a short-lived presigned link."""
    privacy_link_ttl_s: int = Field(default=900, ge=60, le=3600)
    """Lifetime of presigned links in exports (recordings, a large bundle)."""
    recording_link_ttl_s: int = Field(default=300, ge=60, le=3600)
    """How long the console's link to play a call's recording works (a call page's visit)."""
    privacy_inline_bytes: int = Field(default=1_000_000, ge=1024, le=5_000_000)
    """An export larger than this goes to the exports bucket instead of the response."""
    call_events_dlq_url: str = ""
    """The call events' dead-letter queue: an erasure removes the subject's messages there."""
    livekit_api_key: str = Field(
        default="devkey",
        validation_alias=AliasChoices("LIVEKIT_API_KEY", "HOTELVOICE_LIVEKIT_API_KEY"),
    )
    livekit_api_secret: str = Field(
        default="",
        validation_alias=AliasChoices("LIVEKIT_API_SECRET", "HOTELVOICE_LIVEKIT_API_SECRET"),
    )
    livekit_url: str = Field(
        default="ws://127.0.0.1:7880",
        validation_alias=AliasChoices("LIVEKIT_URL", "HOTELVOICE_LIVEKIT_URL"),
    )
    """The LiveKit server the worker registers with (``wss://…`` in production)."""
    agent_name: str = "hotelvoice-receptionist"
    """Explicit dispatch name: SIP dispatch rules name it, so only this worker takes calls."""
    agent_executor: Literal["process", "thread"] = "process"
    """Where each call runs: its own process forked from a forkserver that holds the models
    (``process``, the default: a crash or a stuck call stays in its process) or a thread of
    the worker (``thread``). ``make load`` measures both (``docs/architecture.md``)."""
    agent_max_calls: int = Field(default=10, ge=1, le=500)
    """Calls one worker takes at once; LiveKit offers the next call to another worker. The
    worker reports its load as calls / this, not as the machine's CPU (LiveKit's default),
    so a busy neighbour on the host does not turn callers away. The default fits one vCPU,
    the speech stack's agent task (``AgentMaxCalls``): ``make load`` answered fifteen calls
    within its target on two cores that also ran its load generator, the worker using 0.9
    of them; at the old default of 50 a one-vCPU task took calls it could not answer."""
    agent_turn_detection: Literal["model", "vad", "stt"] = "model"
    """When a caller has finished: LiveKit's end-of-turn model (``model``: waits longer
    when the caller sounds unfinished, up to the maximum endpointing delay), silence alone
    (``vad``: always the minimum delay after the VAD's silence; quicker, interrupts more), or
    the recogniser's own end of utterance (``stt``: Riva's endpointing through the proxy; the
    worker runs no VAD and no model, the cheapest call, barge-in on the recogniser's first
    words). ``stt`` needs a streaming recogniser (``agent_stt`` ``proxy-stream`` or ``riva``)."""
    agent_loop_block_warn_ms: int = Field(default=250, ge=0, le=10_000)
    """Warn when a call's event loop is blocked this long (LiveKit's loop monitor; 0 turns
    it off). LiveKit's default of 100 ms ticks every 20 ms, a heartbeat and a watchdog
    thread per call: ``make load`` measured it at about a sixth of a listening call's CPU.
    At 250 ms it ticks every 50 ms and still names any stall a caller would hear as a gap.
    ``LIVEKIT_AGENTS_LOOP_BLOCK_WARN_MS``, where set, wins."""
    agent_idle_processes: int = Field(default=4, ge=0, le=100)
    """Call processes kept forked and ready (``process`` executor), so a burst of calls does
    not wait for processes to start."""
    asr_url: str = "http://127.0.0.1:8090"
    """The ASR proxy (``gpu_asr``) beside Riva; the agent's speech-to-text goes there."""
    livekit_secret_name: str = ""
    """Secrets Manager name of the LiveKit API secret (production)."""

    api_url: str = "http://127.0.0.1:3000"
    """Base URL of the control plane's HTTP API (the agent's PMS and call-events calls)."""
    api_timeout_s: float = 8.0
    """How long the agent waits for the API: longer than ``pms_budget_s``, so a PMS call the
    API is still retrying (a 429, a 503) is not given up on early (the caller hears the
    holding line meanwhile)."""
    holding_line_after_s: float = Field(default=1.0, ge=0.0)
    """How long a PMS lookup may keep a caller in silence before the agent says it is
    checking ("One moment, I am checking."); 0 turns the holding line off."""
    llm_base_url: str = ""
    """Any OpenAI-compatible endpoint, e.g. ``http://127.0.0.1:11434/v1``; empty: fallback."""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str = Field(
        default="", validation_alias=AliasChoices("OPENAI_API_KEY", "HOTELVOICE_LLM_API_KEY")
    )
    llm_api_key_secret_name: str = ""
    azure_openai_endpoint: str = Field(
        default="",
        validation_alias=AliasChoices("AZURE_OPENAI_ENDPOINT", "HOTELVOICE_AZURE_OPENAI_ENDPOINT"),
    )
    azure_openai_deployment: str = ""
    azure_openai_api_version: str = "2024-10-21"
    llm_timeout_s: float = 4.0
    asr_backend: str = "local"
    """The proxy's recogniser: ``local`` (pocketsphinx) or ``riva`` (the GPU task)."""
    riva_uri: str = "127.0.0.1:50051"
    """NVIDIA Riva's gRPC address (``host:port``, plaintext) for ``asr_backend=riva``."""
    asr_max_audio_s: float = 60.0
    """Longest audio one request may carry, and longest speech one streamed utterance may
    run to: the local recogniser ends an utterance there with a final and goes on listening."""
    asr_max_stream_s: float = 3600.0
    """Longest audio one stream may carry in all (4400 ``audio_too_long``): a whole call, up to
    the longest a hotel may allow (``max_call_s`` is at most 3600 s)."""
    asr_max_streams: int = 100
    """Concurrent ``/v1/transcribe/stream`` sockets per proxy process; more are refused (1013)."""
    asr_stream_queue_frames: int = 50
    """Audio frames buffered per stream before the proxy stops reading the socket
    (backpressure: TCP slows the sender instead of memory growing)."""
    asr_stream_idle_s: float = 15.0
    """A stream with no frame or message for this long is closed (4408)."""
    asr_reconnect_s: float = 5.0
    """How long a stream waits for the recogniser to come back before closing (1011)."""
    asr_default_language: str = "en"
    """Language recognised when the client gives no hint; lingua then reports the detected one."""
    agent_stt: str = "proxy-stream"
    """The agent's ears: ``proxy-stream`` (the proxy's WebSocket), ``proxy`` (one HTTP request
    per utterance, cut by the VAD) or ``riva`` (Riva direct via livekit-plugins-nvidia at
    ``riva_uri``)."""

    tts_engines: list[str] = Field(default_factory=lambda: ["elevenlabs", "azure", "espeak"])
    """Fallback chain, first choice first; engines without credentials are left out, and
    espeak (local, always there) is the last resort (``HOTELVOICE_TTS_ENGINES`` as JSON)."""
    tts_format: str = "pcm_16000"
    """``pcm_8000`` (PSTN) or ``pcm_16000`` (wideband SIP, WebRTC)."""
    tts_first_audio_timeout_s: float = 2.5
    """An engine that has not started speaking by then counts as failed for this utterance."""
    tts_breaker_failures: int = 3
    """Consecutive failures that open an engine's circuit breaker."""
    tts_breaker_cooldown_s: float = 30.0
    """How long an open breaker skips its engine before one trial utterance."""
    tts_cache_bucket: str = ""
    """S3 bucket of cached audio; empty: no shared tier (the in-process LRU only)."""
    tts_cache_table: str = ""
    """DynamoDB index of the cached audio (key → object, engine, voice, expiry)."""
    tts_cache_days: int = Field(default=30, ge=1, le=365)
    """How long cached speech is served; the bucket's lifecycle rule uses the same days."""
    tts_lru_bytes: int = 64 * 1024 * 1024
    """In-process cache budget per agent process."""
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    elevenlabs_model: str = "eleven_flash_v2_5"
    elevenlabs_api_key: str = Field(
        default="",
        validation_alias=AliasChoices("ELEVENLABS_API_KEY", "HOTELVOICE_ELEVENLABS_API_KEY"),
    )
    elevenlabs_api_key_secret_name: str = ""
    elevenlabs_zero_retention: bool = False
    """ElevenLabs keeps nothing of each request (``enable_logging=false``); enterprise
    workspaces only, ElevenLabs refuses it for others (the chain then goes on without it)."""
    azure_speech_region: str = "westeurope"
    azure_speech_host: str = ""
    """Overrides the region's endpoint (``ws://127.0.0.1:PORT`` for the local peer)."""
    azure_speech_key: str = Field(
        default="",
        validation_alias=AliasChoices("AZURE_SPEECH_KEY", "HOTELVOICE_AZURE_SPEECH_KEY"),
    )
    azure_speech_key_secret_name: str = ""

    @property
    def tts_cache_ttl_s(self) -> int:
        """:attr:`tts_cache_days` in seconds (cache entries carry an epoch expiry)."""
        return self.tts_cache_days * 24 * 3600

    @property
    def uses_identity_provider(self) -> bool:
        """Tokens come from an OpenID provider (production) rather than the shared key."""
        return bool(self.auth_jwks_url) or self.auth_issuer.startswith(("https://", "http://"))

    @model_validator(mode="after")
    def _turns_need_an_ear_that_ends_them(self) -> Settings:
        # The per-utterance proxy mode is cut into utterances by the VAD: without one, no
        # utterance would ever end and the caller would never be answered.
        if self.agent_turn_detection == "stt" and self.agent_stt == "proxy":
            raise ValueError(
                "agent_turn_detection=stt needs a streaming recogniser: set agent_stt to "
                "proxy-stream or riva (agent_stt=proxy is cut into utterances by the VAD)"
            )
        return self

    @field_validator("aws_region")
    @classmethod
    def _eu_only(cls, region: str) -> str:
        return require_eu_region(region)


class _SettingsCache:
    """The process-wide settings, read once; ``cache_clear()`` after changing the environment.

    Unlike ``functools.lru_cache``, a clear waits for a read in progress: otherwise a thread
    that began reading the old environment would store its settings after the clear, and they
    would outlive the change (seen: a server thread cached the default API URL).
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._settings: Settings | None = None

    def __call__(self) -> Settings:
        with self._lock:
            if self._settings is None:
                self._settings = Settings()
            return self._settings

    def cache_clear(self) -> None:
        """Read the environment again on the next call."""
        with self._lock:
            self._settings = None


get_settings = _SettingsCache()
"""The process-wide settings; tests clear the cache after changing the environment."""
