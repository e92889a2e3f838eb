"""Journeys through GraphQL: click and collect after a transfer, ship from the nearest
location, cancellation; stock and payment follow each step."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.config import Settings
from app.database import Database
from app.inventory import repository as inventory_repository
from app.models.inventory import InventoryMovement, MovementKind, StockLevel
from app.models.staff import StaffRole
from app.orders import repository as order_repository
from app.orders.verify import reservation_drift
from schema.relay import from_global_id, to_global_id
from tests.factories.carts import World, world
from tests.factories.channels import create_location
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.factories.inventory import stock
from tests.graphql import gql
from tests.orders.documents import (
    CANCEL,
    CONFIRM_PICKUP,
    DELIVERED,
    MARK_READY,
    MONTREAL,
    RECEIVE,
    SHIP,
    cart_with,
    checkout,
    result,
)


async def _level(db: Database, w: World, sku: str, location_id: int) -> tuple[int, int]:
    async with db.write() as uow:
        row = (
            await uow.session.execute(
                select(StockLevel.on_hand, StockLevel.reserved).where(
                    StockLevel.variant_id == w.variants[sku], StockLevel.location_id == location_id
                )
            )
        ).first()
    return (row.on_hand, row.reserved) if row else (0, 0)


async def _sales(db: Database) -> list[tuple[int, int]]:
    async with db.write() as uow:
        rows = await uow.session.execute(
            select(InventoryMovement.location_id, InventoryMovement.quantity).where(
                InventoryMovement.kind == MovementKind.SALE
            )
        )
        return [(r.location_id, r.quantity) for r in rows]


async def _staff(db: Database, w: World) -> tuple[str, str, str]:
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    other = await other_store(db)
    elsewhere = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="far@example.com", home_location_id=other
    )
    return ops, clerk, elsewhere


async def other_store(db: Database) -> int:
    return (await create_location(db, code="uptown", pickup=True)).id


async def test_click_and_collect_waits_for_the_transfer_then_is_handed_over_on_its_code(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a customer orders for pickup at a store that holds none of the item
    w = await world(db)
    _, clerk, elsewhere = await _staff(db, w)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    cart_id = await cart_with(
        client, [(w.variant("TEE-1"), 2)], token=token, pickup_at=w.location(w.store)
    )
    order = (await checkout(client, cart_id, "cc-1", token=token))["order"]
    (waiting,) = order["fulfillments"]
    # when: the store tries to mark it ready before the units arrive
    early = result(await gql(client, MARK_READY, {"id": waiting["id"]}, token=clerk),
                   "fulfillmentMarkReadyForPickup")  # fmt: skip
    # then
    assert [e["code"] for e in early["userErrors"]] == ["ILLEGAL_TRANSITION"]
    # when: the store receives the transfer
    received = await gql(client, RECEIVE, {"id": waiting["transferId"]}, token=clerk)
    assert received["data"]["inventoryTransferReceive"]["userErrors"] == []
    # then: the units are reserved for the order at the store, which is ready with a code
    assert await _level(db, w, "TEE-1", w.store.id) == (2, 2)
    far = result(
        await gql(client, CONFIRM_PICKUP, {"id": waiting["id"], "code": "000000"},
                  token=elsewhere),
        "fulfillmentConfirmPickup",
    )  # fmt: skip
    assert [e["code"] for e in far["userErrors"]] == ["FORBIDDEN"]
    wrong = result(
        await gql(client, CONFIRM_PICKUP, {"id": waiting["id"], "code": "not-it"}, token=clerk),
        "fulfillmentConfirmPickup",
    )
    assert [e["code"] for e in wrong["userErrors"]] == ["WRONG_PICKUP_CODE"]
    async with db.write() as uow:
        (f,) = await order_repository.fulfilments_of(uow.session, int(_pk(order["id"])))
        code = f.pickup_code
    assert f.status.value == "READY_FOR_PICKUP"
    assert code is not None
    # when: the customer shows the code
    done = result(
        await gql(client, CONFIRM_PICKUP, {"id": waiting["id"], "code": code}, token=clerk),
        "fulfillmentConfirmPickup",
    )
    # then
    assert done["userErrors"] == []
    assert done["order"]["status"] == "PICKED_UP"
    assert done["order"]["payments"][0]["status"] == "CAPTURED"
    assert await _level(db, w, "TEE-1", w.store.id) == (0, 0)
    assert await _sales(db) == [(w.store.id, -2)]
    assert await inventory_repository.ledger_drift(db) == []


def _pk(global_id: str) -> str:
    return str(from_global_id(global_id)[1])


async def test_a_ready_pickup_is_handed_over_to_the_customer_who_placed_it(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    _, clerk, _ = await _staff(db, w)
    await stock(db, "MUG-0", w.store.id, 5)
    ana = await create_customer(db, email="ana@example.com")
    bob = await create_customer(db, email="bob@example.com")
    token = await customer_token(db, settings, ana)
    cart_id = await cart_with(
        client, [(w.variant("MUG-0"), 1)], token=token, pickup_at=w.location(w.store)
    )
    order = (await checkout(client, cart_id, "cc-2", token=token))["order"]
    fid = order["fulfillments"][0]["id"]
    ready = result(await gql(client, MARK_READY, {"id": fid}, token=clerk),
                   "fulfillmentMarkReadyForPickup")  # fmt: skip
    assert ready["order"]["status"] == "READY_FOR_PICKUP"
    assert len(ready["order"]["fulfillments"][0]["pickupCode"]) == 6
    # when
    by_bob = result(
        await gql(client, CONFIRM_PICKUP, {"id": fid, "customer": to_global_id("Customer", bob)},
                  token=clerk),
        "fulfillmentConfirmPickup",
    )  # fmt: skip
    by_ana = result(
        await gql(client, CONFIRM_PICKUP, {"id": fid, "customer": to_global_id("Customer", ana)},
                  token=clerk),
        "fulfillmentConfirmPickup",
    )  # fmt: skip
    again = result(
        await gql(client, CONFIRM_PICKUP, {"id": fid, "customer": to_global_id("Customer", ana)},
                  token=clerk),
        "fulfillmentConfirmPickup",
    )  # fmt: skip
    # then
    assert [e["code"] for e in by_bob["userErrors"]] == ["WRONG_PICKUP_CODE"]
    assert by_ana["order"]["status"] == "PICKED_UP"
    assert [e["code"] for e in again["userErrors"]] == ["ILLEGAL_TRANSITION"]
    assert await _level(db, w, "MUG-0", w.store.id) == (4, 0)


async def test_a_shipment_leaves_with_a_sale_and_is_delivered(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    ops, clerk, _ = await _staff(db, w)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 3)], ship_to=MONTREAL)
    order = (await checkout(client, cart_id, "ship-1"))["order"]
    fid = order["fulfillments"][0]["id"]
    # when
    by_clerk = result(await gql(client, SHIP, {"id": fid}, token=clerk), "fulfillmentShip")
    shipped = result(await gql(client, SHIP, {"id": fid}, token=ops), "fulfillmentShip")
    cancel_late = result(await gql(client, CANCEL, {"id": order["id"]}, token=ops), "orderCancel")
    delivered = result(
        await gql(client, DELIVERED, {"id": fid}, token=ops), "fulfillmentMarkDelivered"
    )
    # then
    assert [e["code"] for e in by_clerk["userErrors"]] == ["FORBIDDEN"]
    assert shipped["order"]["status"] == "SHIPPED"
    assert shipped["order"]["fulfillments"][0]["trackingNumber"] == "PUR123"
    assert shipped["order"]["payments"][0]["status"] == "CAPTURED"
    assert [e["code"] for e in cancel_late["userErrors"]] == ["ILLEGAL_TRANSITION"]
    assert delivered["order"]["status"] == "DELIVERED"
    assert await _level(db, w, "TEE-0", w.warehouse.id) == (47, 0)
    assert await _sales(db) == [(w.warehouse.id, -3)]


async def test_cancelling_releases_the_reservation_and_voids_the_payment(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    bob = await create_customer(db, email="bob@example.com")
    ana_token = await customer_token(db, settings, ana)
    bob_token = await customer_token(db, settings, bob)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 2)], token=ana_token, ship_to=MONTREAL)
    order = (await checkout(client, cart_id, "cancel-1", token=ana_token))["order"]
    assert await _level(db, w, "TEE-0", w.warehouse.id) == (50, 2)
    # when
    by_bob = result(await gql(client, CANCEL, {"id": order["id"]}, token=bob_token), "orderCancel")
    by_ana = result(await gql(client, CANCEL, {"id": order["id"]}, token=ana_token), "orderCancel")
    # then
    assert [e["code"] for e in by_bob["userErrors"]] == ["NOT_FOUND"]
    assert by_ana["order"]["status"] == "CANCELLED"
    assert by_ana["order"]["payments"][0]["status"] == "VOIDED"
    assert await _level(db, w, "TEE-0", w.warehouse.id) == (50, 0)
    async with db.write() as uow:
        assert await order_repository.open_allocations(uow.session) == {}
    assert await reservation_drift(db) == []
