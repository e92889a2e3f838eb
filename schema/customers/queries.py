from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from app.auth.scopes import CUSTOMERS_READ
from app.auth.viewer import Viewer
from app.customers import service
from app.kit.pagination import PageRequest
from schema.context import Info
from schema.customers.types import Customer, build_customers
from schema.permissions import IsCustomer, StaffOrPartnerScope
from schema.relay import Connection, decode_id, register_node
from schema.selection import connection_nodes, selection_tree


async def customer_by_id(
    info: Info, customer_id: int, tree: Any, *, viewer: Viewer | None = None
) -> Customer | None:
    """One customer as the request's viewer (or `viewer`) may see it."""
    viewer = viewer or info.context.viewer
    view = await service.customer_for(info.context.db, viewer, customer_id)
    return (await build_customers(info, [view], tree, viewer))[0] if view else None


@strawberry.type
class CustomerQuery:
    @strawberry.field(permission_classes=[IsCustomer], description="The signed-in customer.")
    async def me(self, info: Info) -> Customer | None:
        customer_id = info.context.viewer.customer_id
        if customer_id is None:
            return None
        return await customer_by_id(info, customer_id, selection_tree(info))

    @strawberry.field(
        permission_classes=[StaffOrPartnerScope(CUSTOMERS_READ)],
        description="One customer; the ID of a merged profile gives the surviving customer.",
    )
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        return await customer_by_id(info, decode_id(id, "Customer"), selection_tree(info))

    @strawberry.field(
        permission_classes=[StaffOrPartnerScope(CUSTOMERS_READ)],
        description="Find customers by any identifier (email, phone, loyalty card, "
        "source:id) or by words of their name, newest first: the POS lookup.",
    )
    async def customers(
        self,
        info: Info,
        search: str,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Customer]:
        ctx = info.context
        page = await service.search_customers(
            ctx.db,
            ctx.viewer,
            search=search,
            default_region=ctx.settings.phone_default_region,
            page=PageRequest(first, after, last, before),
            default_size=ctx.settings.page_size_default,
            max_size=ctx.settings.page_size_max,
        )
        nodes = await build_customers(info, page.items, connection_nodes(selection_tree(info)))
        return Connection[Customer].from_page(page, nodes)


async def _customer_nodes(info: Info, ids: Sequence[int]) -> dict[int, Any]:
    found = await service.visible_customers(info.context.db, info.context.viewer, ids)
    views = list({v.id: v for v in found.values()}.values())
    built = {c.pk: c for c in await build_customers(info, views, selection_tree(info))}
    return {requested: built[view.id] for requested, view in found.items()}


register_node("Customer", _customer_nodes)
