"""Publish/subscribe for live updates: in memory for one process, Redis pub/sub for many.

Messages are JSON-compatible dicts. Delivery is best effort (a subscriber that connects late
misses what came before), which suits live views that can always re-query the current state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis

log = logging.getLogger("omnigraph.events")

Message = dict[str, Any]
# Entered, it yields the topic's messages as they come; leaving it unsubscribes.
Subscription = AbstractAsyncContextManager[AsyncIterator[Message]]


class Broker(Protocol):
    async def publish(self, topic: str, message: Message) -> None: ...

    def subscribe(self, topic: str) -> Subscription: ...

    async def subscriber_count(self, topic: str) -> int: ...

    async def close(self) -> None: ...


class InMemoryBroker:
    """Fan-out inside one process; each subscriber has its own bounded queue."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._queues: dict[str, set[asyncio.Queue[Message]]] = {}
        self._queue_size = queue_size

    async def publish(self, topic: str, message: Message) -> None:
        for queue in list(self._queues.get(topic, ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # A stalled subscriber must not hold up writers; it loses this update.
                log.warning("subscriber queue full on %s; dropping a message", topic)

    def subscribe(self, topic: str) -> Subscription:
        return self._listen(topic)

    async def subscriber_count(self, topic: str) -> int:
        return len(self._queues.get(topic, ()))

    @asynccontextmanager
    async def _listen(self, topic: str) -> AsyncIterator[AsyncIterator[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue(self._queue_size)
        self._queues.setdefault(topic, set()).add(queue)

        async def messages() -> AsyncIterator[Message]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            subscribers = self._queues.get(topic, set())
            subscribers.discard(queue)
            if not subscribers:
                self._queues.pop(topic, None)

    async def close(self) -> None:
        self._queues.clear()


class RedisBroker:
    """Redis pub/sub: a message published by any process reaches subscribers in all of them."""

    def __init__(self, url: str, prefix: str, redis: Redis | None = None) -> None:
        # The application's one Redis client when given (closed with the broker).
        self._redis: Redis = redis if redis is not None else Redis.from_url(url)
        self._prefix = prefix

    def _channel(self, topic: str) -> str:
        return f"{self._prefix}:{topic}"

    async def publish(self, topic: str, message: Message) -> None:
        await self._redis.publish(self._channel(topic), json.dumps(message))

    def subscribe(self, topic: str) -> Subscription:
        return self._listen(topic)

    async def subscriber_count(self, topic: str) -> int:
        counts = await self._redis.pubsub_numsub(self._channel(topic))
        return int(counts[0][1]) if counts else 0

    @asynccontextmanager
    async def _listen(self, topic: str) -> AsyncIterator[AsyncIterator[Message]]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._channel(topic))
        # Wait for Redis to confirm, so that nothing published from here on can be missed.
        while await pubsub.get_message(timeout=1.0) is None:
            pass

        async def messages() -> AsyncIterator[Message]:
            async for raw in pubsub.listen():
                if raw.get("type") == "message":
                    decoded: Message = json.loads(raw["data"])
                    yield decoded

        try:
            yield messages()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


def create_broker(redis_url: str | None, prefix: str, redis: Redis | None = None) -> Broker:
    if redis_url:
        return RedisBroker(redis_url, prefix, redis)
    return InMemoryBroker()
