"""Where automatic persisted queries are kept: in process (LRU) or in Redis, shared by workers.

A document is stored under the SHA-256 of its text, so any worker can verify what it serves;
entries expire from Redis after a while and are simply registered again by the client.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("omnigraph.persisted")


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class QueryStore(Protocol):
    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, document: str) -> None: ...

    async def close(self) -> None: ...


class MemoryQueryStore:
    """The most recently used documents of this process."""

    def __init__(self, maxsize: int) -> None:
        self._items: OrderedDict[str, str] = OrderedDict()
        self._maxsize = maxsize

    async def get(self, digest: str) -> str | None:
        document = self._items.get(digest)
        if document is not None:
            self._items.move_to_end(digest)
        return document

    async def put(self, digest: str, document: str) -> None:
        self._items[digest] = document
        self._items.move_to_end(digest)
        while len(self._items) > self._maxsize:
            self._items.popitem(last=False)

    async def close(self) -> None:
        self._items.clear()


class RedisQueryStore:
    """Documents shared by every worker; a small local LRU spares a round trip on hot ones."""

    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int, local_size: int) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:apq:"
        self._ttl = ttl_seconds
        self._local = MemoryQueryStore(local_size)

    async def get(self, digest: str) -> str | None:
        document = await self._local.get(digest)
        if document is not None:
            return document
        try:
            raw = await self._redis.get(self._prefix + digest)
        except RedisError as error:
            # Answered as unknown: the client sends the document again, and it is kept here.
            log.warning("persisted query lookup without Redis: %s", error)
            return None
        if raw is None:
            return None
        document = raw.decode() if isinstance(raw, bytes) else str(raw)
        # Redis is shared: serve only what still matches its name.
        if sha256_hex(document) != digest:
            return None
        await self._local.put(digest, document)
        return document

    async def put(self, digest: str, document: str) -> None:
        await self._local.put(digest, document)
        try:
            await self._redis.set(self._prefix + digest, document, ex=self._ttl)
        except RedisError as error:
            log.warning("persisted query kept in this process only: %s", error)

    async def close(self) -> None:
        await self._local.close()
