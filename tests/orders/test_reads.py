"""Who sees which order: the customer's single view across channels, staff lists and search,
the timeline, merges, and live status changes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from app.orders.notify import TOPIC
from app.server import create_app
from schema.relay import to_global_id
from tests.factories.carts import world
from tests.factories.channels import create_location
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.factories.inventory import stock
from tests.graphql import gql
from tests.inventory.ws import GraphQLWebSocket
from tests.orders.documents import CANCEL, MARK_READY, MONTREAL, cart_with, checkout, result

ORDER = "query($id: ID!) { order(id: $id) { id number status channel } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Order { number } } }"
ME_ORDERS = "{ me { orders(first: 10) { nodes { number channel status } } } }"
CUSTOMER_ORDERS = (
    "query($id: ID!) { customer(id: $id) { orders { nodes { number } }"
    " timeline(first: 20) { nodes { kind } } } }"
)
ORDERS = (
    "query($filter: OrderFilter) { orders(filter: $filter, first: 20) { totalCount"
    " nodes { number channel status fulfillments { pickupCode } } } }"
)
LIVE = "subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status } }"
MERGE = (
    "mutation($source: ID!, $target: ID!) { customerMerge(sourceId: $source, targetId: $target)"
    " { userErrors { code } } }"
)


async def _subscribed(application: Any) -> None:
    for _ in range(200):
        if await application.state.broker.subscriber_count(TOPIC) >= 1:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the subscription never reached the broker")


async def _numbers(client: httpx.AsyncClient, token: str, **filter: object) -> list[str]:
    body = await gql(client, ORDERS, {"filter": filter}, token=token)
    assert "errors" not in body, body
    return [n["number"] for n in body["data"]["orders"]["nodes"]]


async def test_an_order_is_seen_by_its_customer_and_staff_only(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: Ana's shipped-from-the-warehouse order
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com", phone="+15145550111")
    bob = await create_customer(db, email="bob@example.com")
    ana_token = await customer_token(db, settings, ana)
    bob_token = await customer_token(db, settings, bob)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    uptown = await create_location(db, code="uptown", pickup=True)
    elsewhere = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="far@example.com", home_location_id=uptown.id
    )
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], token=ana_token, ship_to=MONTREAL)
    order = (await checkout(client, cart_id, "r-1", token=ana_token))["order"]
    # when
    seen = {
        who: (await gql(client, ORDER, {"id": order["id"]}, token=token))["data"]["order"]
        for who, token in (("ana", ana_token), ("bob", bob_token), ("ops", ops),
                           ("elsewhere", elsewhere))
    }  # fmt: skip
    node_for_bob = await gql(client, NODE, {"id": order["id"]}, token=bob_token)
    anonymous = await gql(client, ORDER, {"id": order["id"]})
    # then
    assert seen["ana"]["number"] == order["number"]
    assert seen["ops"]["number"] == order["number"]
    assert seen["bob"] is None
    assert seen["elsewhere"] is None
    assert node_for_bob["data"]["node"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_single_view_lists_every_order_and_its_timeline(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: one web and one app order, the app one cancelled
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    first = await cart_with(client, [(w.variant("TEE-0"), 1)], token=token, ship_to=MONTREAL)
    web = (await checkout(client, first, "s-1", token=token))["order"]
    second = await cart_with(
        client, [(w.variant("MUG-0"), 1)], channel="app", token=token, ship_to=MONTREAL
    )
    app = (await checkout(client, second, "s-2", token=token))["order"]
    result(await gql(client, CANCEL, {"id": app["id"]}, token=token), "orderCancel")
    # when
    mine = await gql(client, ME_ORDERS, token=token)
    staff_view = await gql(
        client, CUSTOMER_ORDERS, {"id": to_global_id("Customer", ana)}, token=ops
    )
    # then
    orders = mine["data"]["me"]["orders"]["nodes"]
    assert [(o["number"], o["channel"], o["status"]) for o in orders] == [
        (app["number"], "app", "CANCELLED"),
        (web["number"], "web", "PLACED"),
    ]
    customer = staff_view["data"]["customer"]
    assert [o["number"] for o in customer["orders"]["nodes"]] == [app["number"], web["number"]]
    kinds = [e["kind"] for e in customer["timeline"]["nodes"]]
    assert kinds.count("ORDER_PLACED") == 2
    assert "ORDER_CANCELLED" in kinds


async def test_staff_filter_and_search_orders_and_a_store_sees_its_own(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a shipped-from-warehouse guest order and a pickup at the store for Ana
    w = await world(db)
    await stock(db, "MUG-1", w.store.id, 5)
    ana = await create_customer(db, email="ana@example.com", phone="+15145550111")
    token = await customer_token(db, settings, ana)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    guest_cart = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    guest = (await checkout(client, guest_cart, "f-1"))["order"]
    pickup_cart = await cart_with(
        client, [(w.variant("MUG-1"), 1)], token=token, pickup_at=w.location(w.store)
    )
    pickup = (await checkout(client, pickup_cart, "f-2", token=token))["order"]
    ready = result(
        await gql(client, MARK_READY, {"id": pickup["fulfillments"][0]["id"]}, token=clerk),
        "fulfillmentMarkReadyForPickup",
    )
    code = ready["order"]["fulfillments"][0]["pickupCode"]
    # when / then
    assert await _numbers(client, ops) == [pickup["number"], guest["number"]]
    assert await _numbers(client, ops, search=guest["number"]) == [guest["number"]]
    assert await _numbers(client, ops, search="ANA@example.com") == [pickup["number"]]
    assert await _numbers(client, ops, search="514 555 0111") == [pickup["number"]]
    assert await _numbers(client, ops, search=code) == [pickup["number"]]
    assert await _numbers(client, ops, status="READY_FOR_PICKUP") == [pickup["number"]]
    assert await _numbers(client, ops, locationId=w.location(w.warehouse)) == [guest["number"]]
    assert await _numbers(client, ops, channel="app") == []
    assert await _numbers(client, ops, customerId=to_global_id("Customer", ana)) == [
        pickup["number"]
    ]
    assert await _numbers(client, clerk) == [pickup["number"]]
    assert await _numbers(client, clerk, locationId=w.location(w.warehouse)) == []


async def test_merging_customers_moves_their_orders(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the same person as a web customer and a second profile
    w = await world(db)
    source = await create_customer(db, email="ana.store@example.com")
    target = await create_customer(db, email="ana@example.com")
    source_token = await customer_token(db, settings, source)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    cart_id = await cart_with(
        client, [(w.variant("TEE-0"), 1)], token=source_token, ship_to=MONTREAL
    )
    order = (await checkout(client, cart_id, "m-1", token=source_token))["order"]
    # when
    merged = await gql(
        client,
        MERGE,
        {"source": to_global_id("Customer", source), "target": to_global_id("Customer", target)},
        token=admin,
    )
    # then
    assert merged["data"]["customerMerge"]["userErrors"] == []
    target_token = await customer_token(db, settings, target)
    mine = await gql(client, ME_ORDERS, token=target_token)
    assert [o["number"] for o in mine["data"]["me"]["orders"]["nodes"]] == [order["number"]]


async def test_order_status_changes_reach_the_customer_live(
    db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    await stock(db, "MUG-0", w.store.id, 2)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    application = create_app(settings, db)
    transport = httpx.ASGITransport(app=application)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            cart_id = await cart_with(
                http, [(w.variant("MUG-0"), 1)], token=token, pickup_at=w.location(w.store)
            )
            order = (await checkout(http, cart_id, "live-1", token=token))["order"]
            async with GraphQLWebSocket(
                application, init_payload={"Authorization": f"Bearer {token}"}
            ) as ws:
                await ws.subscribe(LIVE, {"id": order["id"]})
                await _subscribed(application)
                # when
                await gql(http, MARK_READY, {"id": order["fulfillments"][0]["id"]}, token=clerk)
                message = await ws.receive()
    finally:
        await application.state.broker.close()
    # then
    assert message["payload"]["data"]["orderStatusChanged"] == {
        "orderId": order["id"],
        "status": "READY_FOR_PICKUP",
    }


async def test_staff_see_the_routing_decision_and_customers_do_not(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], token=token, ship_to=MONTREAL)
    order = (await checkout(client, cart_id, "rd-1", token=token))["order"]
    query = (
        "query($id: ID!) { order(id: $id) { routingDecision { method rule"
        " candidates { locationCode taken rule distanceKm available { sku available } } } } }"
    )
    # when
    staff = await gql(client, query, {"id": order["id"]}, token=ops)
    customer = await gql(client, query, {"id": order["id"]}, token=token)
    # then: both sit at the same point; the warehouse comes first (priority, then id)
    decision = staff["data"]["order"]["routingDecision"]
    assert decision["rule"] == "ship_single_nearest"
    (taken,) = decision["candidates"]
    assert (taken["locationCode"], taken["taken"], taken["rule"]) == (
        "wh",
        True,
        "ship_single_nearest",
    )
    assert taken["distanceKm"] is not None
    assert taken["available"] == [{"sku": "TEE-0", "available": 50}]
    assert customer["data"]["order"]["routingDecision"] is None
