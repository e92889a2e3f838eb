from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from schema.channels.types import Channel
from schema.context import Info
from schema.permissions import Public
from schema.relay import register_node


@strawberry.type
class ChannelQuery:
    @strawberry.field(permission_classes=[Public], description="Every sales channel.")
    async def channels(self, info: Info) -> list[Channel]:
        directory = await info.context.channels()
        return [Channel.from_view(c) for c in directory.all()]


async def _channel_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    directory = await info.context.channels()
    return {i: Channel.from_view(c) for i in ids if (c := directory.by_id(i)) is not None}


register_node("Channel", _channel_nodes)
