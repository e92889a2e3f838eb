"""The typed per-request context: database, viewer, channel, locale and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from app.auth.viewer import Viewer
from app.channels import repository as channel_repository
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.config import Settings
from app.database import Database
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
    _channels: ChannelDirectory | None = field(default=None, init=False)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self)

    async def channels(self) -> ChannelDirectory:
        """All channels, loaded once per request."""
        if self._channels is None:
            self._channels = ChannelDirectory(await channel_repository.all_channels(self.db))
        return self._channels

    async def channel(self, code: str | None = None, field: str = "channel") -> ChannelView:
        """The channel named by an argument, else by the request, else the default."""
        directory = await self.channels()
        return directory.by_code(code or self.channel_code or self.settings.default_channel, field)


Info = StrawberryInfo[Context, None]
