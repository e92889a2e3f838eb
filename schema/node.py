from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import ApiError
from schema.permissions import Public
from schema.relay import Node, resolve_nodes

MAX_NODES = 100


@strawberry.type
class NodeQuery:
    @strawberry.field(permission_classes=[Public], description="Any object by its global ID.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return (await resolve_nodes(info, [id]))[0]

    @strawberry.field(
        permission_classes=[Public], description="Several objects by global ID, in the order asked."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise ApiError(f"At most {MAX_NODES} ids per call", "LIMIT_EXCEEDED")
        return await resolve_nodes(info, ids)
