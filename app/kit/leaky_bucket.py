"""Leaky-bucket rate limits on query cost, per client: in process, or in Redis for many workers.

A bucket holds up to `capacity` points and regains `rate` points per second; a request takes
its cost out, or is refused when the bucket holds less. Refunds give back what a request was
charged but did not use.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("omnigraph.ratelimit")


@dataclass(frozen=True, slots=True)
class BucketState:
    allowed: bool
    available: float
    capacity: int
    rate: int


class Bucket(Protocol):
    async def take(self, key: str, cost: int, capacity: int, rate: int) -> BucketState: ...

    async def refund(self, key: str, points: int, capacity: int, rate: int) -> float: ...


class MemoryBucket:
    """Buckets of this process; idle ones are dropped once they would be full again."""

    def __init__(self) -> None:
        self._levels: dict[str, tuple[float, float]] = {}

    def _level(self, key: str, capacity: int, rate: int, now: float) -> float:
        level, at = self._levels.get(key, (float(capacity), now))
        return min(float(capacity), level + (now - at) * rate)

    def _prune(self, now: float, capacity: int, rate: int) -> None:
        if len(self._levels) > 10_000:
            horizon = capacity / max(rate, 1)
            self._levels = {k: v for k, v in self._levels.items() if now - v[1] < horizon}

    async def take(self, key: str, cost: int, capacity: int, rate: int) -> BucketState:
        now = time.monotonic()
        self._prune(now, capacity, rate)
        level = self._level(key, capacity, rate, now)
        allowed = cost <= level
        if allowed:
            level -= cost
        self._levels[key] = (level, now)
        return BucketState(allowed, level, capacity, rate)

    async def refund(self, key: str, points: int, capacity: int, rate: int) -> float:
        now = time.monotonic()
        level = min(float(capacity), self._level(key, capacity, rate, now) + points)
        self._levels[key] = (level, now)
        return level


# One atomic step per request: refill by elapsed time (Redis's own clock, so workers agree),
# then take the cost if it fits. A negative cost is a refund and always applies.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = capacity
if state[1] then
  level = math.min(capacity, tonumber(state[1]) + (now - tonumber(state[2])) * rate)
end
local allowed = 0
if cost <= level then
  level = math.min(capacity, level - cost)
  allowed = 1
end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / math.max(rate, 1)) + 1)
return {allowed, tostring(level)}
"""


class RedisBucket:
    """Buckets shared by every worker, updated by one Lua script per request.

    While Redis cannot be reached, each worker keeps limiting with buckets of its own, so an
    outage of the shared store neither fails every request nor lifts the limits.
    """

    WARN_EVERY_SECONDS = 30.0

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:cost:"
        self._script = redis.register_script(_TAKE)
        self._fallback = MemoryBucket()
        self._warned_at = float("-inf")

    def _unreachable(self, error: RedisError) -> None:
        now = time.monotonic()
        if now - self._warned_at >= self.WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning("rate limits kept in process: Redis is unreachable (%s)", error)

    async def _run(self, key: str, cost: int, capacity: int, rate: int) -> tuple[bool, float]:
        allowed, level = await self._script(keys=[self._prefix + key], args=[capacity, rate, cost])
        return bool(int(allowed)), float(level)

    async def take(self, key: str, cost: int, capacity: int, rate: int) -> BucketState:
        try:
            allowed, level = await self._run(key, cost, capacity, rate)
        except RedisError as error:
            self._unreachable(error)
            return await self._fallback.take(key, cost, capacity, rate)
        return BucketState(allowed, level, capacity, rate)

    async def refund(self, key: str, points: int, capacity: int, rate: int) -> float:
        try:
            return (await self._run(key, -points, capacity, rate))[1]
        except RedisError as error:
            self._unreachable(error)
            return await self._fallback.refund(key, points, capacity, rate)
