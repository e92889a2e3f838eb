"""The typed per-request context: database, viewer, channel, locale and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from app.auth.viewer import Viewer
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.config import Settings
from app.database import Database
from app.events.broker import Broker, create_broker
from app.reference.cache import ReferenceCache, cache_for
from schema.loaders import Loaders


@dataclass
class Context:
    db: Database
    settings: Settings
    viewer: Viewer
    request_id: str
    request: Request | WebSocket | None = None
    # The channel named by the request (header); arguments override it per field.
    channel_code: str | None = None
    loaders: Loaders = field(init=False)
    _broker: Broker | None = field(default=None, init=False)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self)

    def broker(self) -> Broker:
        """The application's broker (one per app instance, made by `create_app`); outside a
        server (a script) nobody can be subscribed, so a private one serves that context."""
        if self._broker is None:
            app = self.request.scope.get("app") if self.request is not None else None
            app_broker = getattr(app.state, "broker", None) if app is not None else None
            self._broker = app_broker or create_broker(
                self.settings.redis_url, self.settings.events_prefix
            )
        return self._broker

    async def reference(self) -> ReferenceCache:
        """Channels, locations and pools, kept by the process; with a shared broker, kept
        only while this process hears other processes' changes."""
        cache = cache_for(self.db)
        if self.settings.redis_url:
            await cache.listen(self.broker())
        return cache

    async def channels(self) -> ChannelDirectory:
        return await (await self.reference()).channels()

    async def channel(self, code: str | None = None, field: str = "channel") -> ChannelView:
        """The channel named by an argument, else by the request, else the default."""
        directory = await self.channels()
        return directory.by_code(code or self.channel_code or self.settings.default_channel, field)


Info = StrawberryInfo[Context, None]
