"""A Redis outage degrades the shared stores to per-process ones: requests keep being served,
rate limits keep applying, persisted queries keep working."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.kit.leaky_bucket import RedisBucket
from app.persisted.store import RedisQueryStore, sha256_hex

# Nothing listens on the discard port: every command fails to connect at once.
UNREACHABLE = "redis://127.0.0.1:9/0"


@pytest.fixture
async def dead_redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(UNREACHABLE, socket_connect_timeout=0.5)
    yield client
    await client.aclose()


async def test_rate_limits_still_apply_while_redis_is_unreachable(dead_redis: Redis) -> None:
    # given a bucket of 10 points that refills slowly
    bucket = RedisBucket(dead_redis, "outage-test")

    # when a client spends 4 points three times
    states = [await bucket.take("client-a", 4, capacity=10, rate=1) for _ in range(3)]

    # then the first two fit, the third is refused, and another client is unaffected
    assert [s.allowed for s in states] == [True, True, False]
    assert (await bucket.take("client-b", 4, capacity=10, rate=1)).allowed


async def test_persisted_queries_are_kept_in_process_while_redis_is_unreachable(
    dead_redis: Redis,
) -> None:
    # given a store whose Redis is down
    store = RedisQueryStore(dead_redis, "outage-test", ttl_seconds=60, local_size=16)
    document = "{ channels { code } }"
    digest = sha256_hex(document)

    # when an unknown hash is asked, then the client registers the document
    missing = await store.get(digest)
    await store.put(digest, document)

    # then the first answer is a miss (the client sends the document again), the next a hit
    assert missing is None
    assert await store.get(digest) == document
    await store.close()
