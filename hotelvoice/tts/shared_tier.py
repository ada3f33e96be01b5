"""The shared tier of the TTS cache: S3 objects indexed by DynamoDB items that expire.

Every agent task and every TTS Lambda reads and writes it, so a prompt synthesised once in
the fleet is a hit everywhere. The bucket (``tts/`` lifecycle rule) and the table (hash key
``pk``, TTL attribute ``expires_at``) are ``TtsCacheBucket`` and ``TtsCacheTable`` in
template.yaml.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.tts.cache import CacheKey

log = logging.getLogger("hotelvoice.tts.cache")


class SharedTier:
    """S3 objects (``tts/<digest>.pcm``) indexed by DynamoDB items that expire.

    The index item says where the audio is and until when it is valid (``expires_at``, epoch
    seconds, the table's TTL attribute). DynamoDB deletes expired items up to days late, so
    ``get`` checks the expiry itself. A write puts the object first and the index item second,
    so an item never points at nothing; the item is written only if none is there (or the one
    there has expired), so two racing writers leave exactly one. boto3 blocks, so every call
    runs in a worker thread; a slow lookup becomes a miss after ``get_timeout_s``, because a
    caller waiting on the cache hears silence.
    """

    def __init__(
        self,
        bucket: str,
        table: str,
        *,
        ttl_s: float,
        get_timeout_s: float = 1.0,
        prefix: str = "tts/",
        clock: Callable[[], float] = time.time,
        name: str = "shared",
    ) -> None:
        """Remember where; clients come from :mod:`hotelvoice.aws` at each call.

        Args:
            bucket: The audio bucket.
            table: The index table (hash key ``pk``, TTL attribute ``expires_at``).
            ttl_s: How long an entry is served after it was written.
            get_timeout_s: A lookup slower than this is a miss.
            prefix: Object key prefix (the bucket's lifecycle rule expires it too).
            clock: Epoch seconds; tests pass a fake to expire entries.
            name: The tier's name in stats.
        """
        self.name = name
        self.bucket = bucket
        self.table = table
        self._ttl_s = ttl_s
        self._get_timeout_s = get_timeout_s
        self._prefix = prefix
        self._clock = clock
        self.errors = 0
        """Lookups and writes that failed (AWS errors, timeouts): a gauge for alarms."""

    def object_key(self, key: CacheKey) -> str:
        """The S3 key of ``key``'s audio (for a presigned link to a cached utterance)."""
        return f"{self._prefix}{key.digest}.pcm"

    async def get(self, key: CacheKey) -> bytes | None:
        """The audio if indexed, unexpired and present; any failure is a miss."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._get, key), self._get_timeout_s)
        except (BotoCoreError, ClientError, TimeoutError) as exc:
            self.errors += 1
            log.warning("shared TTS cache lookup failed: %s", type(exc).__name__)
            return None

    async def put(self, key: CacheKey, audio: bytes) -> None:
        """Object first, then the index item; a failure is logged, never raised."""
        try:
            await asyncio.to_thread(self._put, key, audio)
        except (BotoCoreError, ClientError) as exc:
            self.errors += 1
            log.warning("shared TTS cache write failed: %s", type(exc).__name__)

    def _get(self, key: CacheKey) -> bytes | None:
        dynamodb, s3 = aws.client("dynamodb"), aws.client("s3")
        item = dynamodb.get_item(TableName=self.table, Key={"pk": {"S": key.digest}}).get("Item")
        if item is None or int(item["expires_at"]["N"]) <= self._clock():
            return None
        try:
            body = s3.get_object(Bucket=self.bucket, Key=item["object_key"]["S"])["Body"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] in {"NoSuchKey", "404"}:
                return None  # the bucket's lifecycle rule ran first
            raise
        audio: bytes = body.read()
        return audio if len(audio) == int(item["bytes"]["N"]) else None

    def _put(self, key: CacheKey, audio: bytes) -> None:
        dynamodb, s3 = aws.client("dynamodb"), aws.client("s3")
        now = self._clock()
        object_key = self.object_key(key)
        described = {
            "engine": key.voice.engine,
            "voice": key.voice.voice_id,
            "locale": key.voice.locale,
            "format": key.fmt.value,
        }
        s3.put_object(
            Bucket=self.bucket,
            Key=object_key,
            Body=audio,
            ContentType="application/octet-stream",
            Metadata=described,
        )
        item = {
            "pk": {"S": key.digest},
            "object_key": {"S": object_key},
            **{name: {"S": value} for name, value in described.items()},
            "bytes": {"N": str(len(audio))},
            "created_at": {"N": str(int(now))},
            "expires_at": {"N": str(int(now + self._ttl_s))},
        }
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(pk) OR expires_at <= :now",
                ExpressionAttributeValues={":now": {"N": str(int(now))}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise  # else: another writer indexed it first, which is just as good
