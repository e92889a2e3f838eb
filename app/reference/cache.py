"""Reference data (channels, locations, channel stock pools), kept in process.

Nearly every read needs them and they change rarely (a pool is edited, a store opens), so
each process keeps one copy per database instead of reading three tables per request. A
write that changes them calls `changed(uow, broker)`: once it commits, the writing process
reloads its copy at once, and the broker tells every other process to drop its own.
A process that listens on a shared broker caches only while it is subscribed: if it cannot
hear other processes' changes, it reads the tables on every use instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from app.channels import repository as channel_repository
from app.channels.service import ChannelDirectory
from app.database import Database, UnitOfWork
from app.events.broker import Broker
from app.inventory import pool_repository
from app.inventory.views import ChannelPool
from app.locations import repository as location_repository
from app.locations.views import LocationView

log = logging.getLogger("omnigraph.reference")

TOPIC = "reference.changed"

T = TypeVar("T")


class ReferenceCache:
    """One database's channels, locations and pools, each loaded on first use."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Names this copy in announcements, so that it does not drop what it just reloaded.
        self.token = uuid.uuid4().hex
        self._generation = 0
        self._channels: ChannelDirectory | None = None
        self._locations: dict[int, LocationView] | None = None
        self._pools: dict[int, ChannelPool] | None = None
        self._listener: asyncio.Task[None] | None = None
        # False while a shared broker should be heard but is not.
        self._trusted = True

    async def _load(self, name: str, load: Callable[[], Awaitable[T]]) -> T:
        cached: T | None = getattr(self, name)
        if cached is not None:
            return cached
        generation = self._generation
        found = await load()
        # A change that committed while this was loading makes the result stale: not kept.
        if generation == self._generation and self._trusted:
            setattr(self, name, found)
        return found

    async def channels(self) -> ChannelDirectory:
        async def load() -> ChannelDirectory:
            return ChannelDirectory(await channel_repository.all_channels(self.db))

        return await self._load("_channels", load)

    async def locations(self) -> dict[int, LocationView]:
        """Every location by id, in routing priority order."""
        return await self._load("_locations", lambda: location_repository.all_locations(self.db))

    async def pools(self) -> dict[int, ChannelPool]:
        """Every channel's pool by channel id."""
        return await self._load("_pools", lambda: pool_repository.all_pools(self.db))

    async def pool_of(self, channel_id: int) -> ChannelPool:
        """A channel's pool; a channel nobody configured sells from nowhere."""
        return (await self.pools()).get(channel_id) or ChannelPool(channel_id, frozenset())

    def drop(self) -> None:
        self._generation += 1
        self._channels = self._locations = self._pools = None

    async def reload(self) -> None:
        """Drop the copy and read it again now, so that the next request finds it warm."""
        self.drop()
        await self.channels()
        await self.locations()
        await self.pools()

    async def listen(self, broker: Broker) -> None:
        """Hear other processes' changes on a shared broker; idempotent and cheap once running.

        Subscribing comes before caching: what was cached before could have missed a change.
        """
        # Every shared broker of a process reaches the same Redis: one feed is enough.
        if self._listener is not None and not self._listener.done():
            return
        await self._stop_listening()
        self._trusted = False
        self.drop()
        subscribed = asyncio.get_running_loop().create_future()
        self._listener = asyncio.create_task(self._listen(broker, subscribed))
        try:
            await subscribed
        except Exception:
            log.warning("cannot subscribe to reference changes; reading them uncached",
                        exc_info=True)  # fmt: skip
            return
        self._trusted = True

    async def _listen(self, broker: Broker, subscribed: asyncio.Future[None]) -> None:
        try:
            async with broker.subscribe(TOPIC) as messages:
                subscribed.set_result(None)
                async for message in messages:
                    if message.get("origin") != self.token:
                        self.drop()
        except asyncio.CancelledError:
            if not subscribed.done():
                subscribed.set_exception(ConnectionError("stopped before subscribing"))
            raise
        except Exception as exc:
            if not subscribed.done():
                subscribed.set_exception(exc)
            else:
                log.warning("lost the reference change feed; reading uncached until it is back")
        # Whatever ended the feed, changes can no longer be heard: stop trusting the copy.
        self._trusted = False
        self.drop()

    async def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and not listener.done():
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def close(self) -> None:
        await self._stop_listening()
        self._trusted = True
        self.drop()


_CACHES: dict[AsyncEngine, ReferenceCache] = {}
# Units of work that already have their announcement queued.
_ANNOUNCING: weakref.WeakSet[UnitOfWork] = weakref.WeakSet()


def cache_for(db: Database) -> ReferenceCache:
    """This process's copy for `db` (every Database on the same engine shares it)."""
    cache = _CACHES.get(db.engine)
    if cache is None:
        cache = _CACHES[db.engine] = ReferenceCache(db)
    return cache


async def forget(db: Database) -> None:
    """Throw this process's copy away (the database was emptied behind its back, or closes)."""
    cache = _CACHES.pop(db.engine, None)
    if cache is not None:
        await cache.close()


def changed(uow: UnitOfWork, broker: Broker | None = None) -> None:
    """Call from any write that changes channels, locations, pools or pool buffers."""
    if uow in _ANNOUNCING:
        return
    _ANNOUNCING.add(uow)
    engine = uow.session.bind
    if not isinstance(engine, AsyncEngine):  # pragma: no cover - sessions are made on engines
        raise TypeError("a unit of work bound to an async engine was expected")

    async def announce() -> None:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = ReferenceCache(Database(engine))
        await cache.reload()
        if broker is not None:
            try:
                await broker.publish(TOPIC, {"origin": cache.token})
            except Exception:
                # The write has committed; processes that cannot hear this stop caching.
                log.warning("could not announce a reference change", exc_info=True)

    uow.after_commit(announce)
