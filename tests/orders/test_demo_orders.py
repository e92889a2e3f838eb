"""The demo data has orders in every state across the four channels, consistent with stock."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.demo.loader import load_demo
from app.inventory import repository as inventory_repository
from app.models.staff import StaffRole
from app.orders.verify import reservation_drift
from tests.factories.customers import quick_staff_token
from tests.graphql import gql

ALL = "{ orders(first: 50) { nodes { number channel status customerId fulfillments { method } } } }"


async def test_demo_orders_cover_every_state_and_channel(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    await load_demo(db)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="audit@example.com")
    # when
    body = await gql(client, ALL, token=admin)
    # then
    orders = body["data"]["orders"]["nodes"]
    assert {o["status"] for o in orders} == {
        "PLACED", "SHIPPED", "DELIVERED", "READY_FOR_PICKUP", "AWAITING_TRANSFER", "PICKED_UP",
        "CANCELLED",
    }  # fmt: skip
    assert {o["channel"] for o in orders} == {"web", "app", "pos", "marketplace-us"}
    methods = {f["method"] for o in orders for f in o["fulfillments"]}
    assert methods == {"SHIPPING", "PICKUP_IN_STORE", "IN_STORE_HANDOVER"}
    marketplace = next(o for o in orders if o["channel"] == "marketplace-us")
    assert marketplace["customerId"] is not None
    assert await reservation_drift(db) == []
    assert await inventory_repository.ledger_drift(db) == []
