"""Channels: lookups by code with the errors callers expect."""

from __future__ import annotations

from collections.abc import Iterable

from app.channels.views import ChannelView
from app.errors import NotFound


class UnknownChannel(NotFound):
    code = "UNKNOWN_CHANNEL"


class ChannelDirectory:
    """The channels of one request, loaded once and looked up by code or id."""

    def __init__(self, channels: Iterable[ChannelView]) -> None:
        self._by_code = {c.code: c for c in channels}
        self._by_id = {c.id: c for c in self._by_code.values()}

    def all(self) -> list[ChannelView]:
        return list(self._by_code.values())

    def by_code(self, code: str, field: str = "channel") -> ChannelView:
        channel = self._by_code.get(code)
        if channel is None:
            raise UnknownChannel(f"No channel with code '{code}'", field=field)
        return channel

    def by_id(self, channel_id: int) -> ChannelView | None:
        return self._by_id.get(channel_id)
