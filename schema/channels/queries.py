from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from app.channels import reads
from schema.channels.types import Channel
from schema.context import Info
from schema.permissions import Public
from schema.relay import register_node


@strawberry.type
class ChannelQuery:
    @strawberry.field(permission_classes=[Public], description="Every sales channel.")
    async def channels(self, info: Info) -> list[Channel]:
        return [
            Channel.from_view(c) for c in await reads.all_channels(await info.context.reference())
        ]


async def _channel_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await reads.channels_by_ids(await info.context.reference(), ids)
    return {i: Channel.from_view(c) for i, c in found.items()}


register_node("Channel", _channel_nodes)
