"""Checkout through GraphQL: shipping, pickup (ready or after a transfer), bad input."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from app.config import Settings
from app.database import Database
from app.models.inventory import InventoryTransfer, StockLevel
from app.models.order import Order
from app.models.pricing import DiscountCode, PromotionTrigger
from tests.carts.documents import CART
from tests.factories.carts import promotion, world
from tests.factories.customers import create_customer, customer_token
from tests.factories.inventory import stock
from tests.graphql import gql
from tests.orders.documents import MONTREAL, cart_with, checkout


async def _level(db: Database, variant_id: int, location_id: int) -> tuple[int, int]:
    async with db.write() as uow:
        row = (
            await uow.session.execute(
                select(StockLevel.on_hand, StockLevel.reserved).where(
                    StockLevel.variant_id == variant_id, StockLevel.location_id == location_id
                )
            )
        ).first()
    return (row.on_hand, row.reserved) if row else (0, 0)


async def _orders(db: Database) -> int:
    async with db.write() as uow:
        return int((await uow.session.execute(select(func.count(Order.id)))).scalar_one())


async def test_shipping_checkout_places_a_paid_order_and_reserves_at_the_nearest_location(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    cart_id = await cart_with(
        client, [(w.variant("TEE-0"), 2), (w.variant("MUG-0"), 1)], token=token, ship_to=MONTREAL
    )
    shown = (await gql(client, CART, {"id": cart_id}, token=token))["data"]["cart"]
    # when
    placed = await checkout(
        client, cart_id, "key-1", token=token, expected=shown["cost"]["total"]["amount"]
    )
    # then
    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["number"].startswith("OG-")
    assert order["status"] == "PLACED"
    assert order["channel"] == "web"
    assert order["cost"]["total"] == shown["cost"]["total"]
    assert order["cost"]["shipping"] == shown["cost"]["shipping"]
    assert [(ln["sku"], ln["quantity"]) for ln in order["lines"]] == [("TEE-0", 2), ("MUG-0", 1)]
    assert [ln["unitPrice"]["amount"] for ln in order["lines"]] == ["20.00", "12.00"]
    (fulfilment,) = order["fulfillments"]
    assert fulfilment["method"] == "SHIPPING"
    assert fulfilment["locationId"] == w.location(w.warehouse)
    assert order["payments"] == [
        {"gateway": "test", "tender": "CARD", "status": "AUTHORIZED",
         "amount": order["cost"]["total"], "cardLast4": "4242"}
    ]  # fmt: skip
    assert await _level(db, w.variants["TEE-0"], w.warehouse.id) == (50, 2)
    cart = await gql(client, CART, {"id": cart_id}, token=token)
    assert cart["data"]["cart"]["status"] == "COMPLETED"


async def test_pickup_at_a_store_with_stock_reserves_there(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    await stock(db, "MUG-1", w.store.id, 3)
    cart_id = await cart_with(client, [(w.variant("MUG-1"), 2)], pickup_at=w.location(w.store))
    # when
    placed = await checkout(client, cart_id, "pickup-1")
    # then
    assert placed["userErrors"] == []
    order = placed["order"]
    (fulfilment,) = order["fulfillments"]
    assert (fulfilment["method"], fulfilment["status"]) == ("PICKUP_IN_STORE", "PLACED")
    assert fulfilment["locationId"] == w.location(w.store)
    assert fulfilment["transferId"] is None
    assert order["cost"]["shipping"]["amount"] == "0.00"
    assert await _level(db, w.variants["MUG-1"], w.store.id) == (3, 2)


async def test_pickup_order_waits_for_transfer_when_store_is_empty(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: the store holds nothing; the warehouse has 50
    w = await world(db)
    cart_id = await cart_with(client, [(w.variant("TEE-1"), 4)], pickup_at=w.location(w.store))
    # when
    placed = await checkout(client, cart_id, "pickup-2")
    # then
    assert placed["userErrors"] == []
    (fulfilment,) = placed["order"]["fulfillments"]
    assert placed["order"]["status"] == "AWAITING_TRANSFER"
    assert fulfilment["status"] == "AWAITING_TRANSFER"
    assert fulfilment["locationId"] == w.location(w.store)
    assert fulfilment["transferId"] is not None
    assert await _level(db, w.variants["TEE-1"], w.warehouse.id) == (46, 0)
    async with db.write() as uow:
        transfer = (await uow.session.execute(select(InventoryTransfer))).scalar_one()
    assert (transfer.from_location_id, transfer.to_location_id) == (w.warehouse.id, w.store.id)


async def test_a_declined_card_leaves_no_order_no_reservation_and_an_open_cart(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    await promotion(db, name="Ten", percentage_bp=1000, codes=["TEN"], code_usage_limit=1,
                    trigger=PromotionTrigger.CODE)  # fmt: skip
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    codes = await gql(
        client,
        'mutation($id: ID!) { cartDiscountCodesUpdate(cartId: $id, discountCodes: ["TEN"])'
        " { userErrors { code } } }",
        {"id": cart_id},
    )
    assert codes["data"]["cartDiscountCodesUpdate"]["userErrors"] == []
    # when
    declined = await checkout(client, cart_id, "decline-1", card="tok_declined")
    # then
    assert declined["order"] is None
    assert [e["code"] for e in declined["userErrors"]] == ["PAYMENT_DECLINED"]
    assert await _orders(db) == 0
    assert await _level(db, w.variants["TEE-0"], w.warehouse.id) == (50, 0)
    async with db.write() as uow:
        used = (await uow.session.execute(select(DiscountCode.times_used))).scalar_one()
    assert used == 0
    cart = await gql(client, CART, {"id": cart_id})
    assert cart["data"]["cart"]["status"] == "ACTIVE"
    # and a good card afterwards places it (a new key: the declined one placed nothing)
    paid = await checkout(client, cart_id, "decline-2")
    assert paid["userErrors"] == []
    assert paid["order"]["cost"]["discounts"][0]["code"] == "TEN"


async def test_bad_checkouts_are_user_errors_and_write_nothing(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db, stock_units=2)
    ana = await create_customer(db, email="ana@example.com")
    bob = await create_customer(db, email="bob@example.com")
    ana_token = await customer_token(db, settings, ana)
    bob_token = await customer_token(db, settings, bob)
    empty = await cart_with(client, [], ship_to=MONTREAL)
    no_delivery = await cart_with(client, [(w.variant("TEE-0"), 1)])
    anas = await cart_with(client, [(w.variant("TEE-0"), 1)], token=ana_token, ship_to=MONTREAL)
    too_many = await cart_with(client, [(w.variant("MUG-0"), 3)], ship_to=MONTREAL)
    priced = await cart_with(client, [(w.variant("MUG-1"), 1)], ship_to=MONTREAL)
    # when
    answers = {
        "empty": await checkout(client, empty, "k1"),
        "no delivery": await checkout(client, no_delivery, "k2"),
        "someone else's": await checkout(client, anas, "k3", token=bob_token),
        "out of stock": await checkout(client, too_many, "k4"),
        "price changed": await checkout(client, priced, "k5", expected="1.00"),
        "unknown card": await checkout(client, priced, "k6", card="tok_nonsense"),
        "blank key": await checkout(client, priced, "  "),
        "unknown cart": await checkout(client, "crt_nope", "k7"),
    }
    # then
    codes = {name: [e["code"] for e in a["userErrors"]] for name, a in answers.items()}
    assert codes == {
        "empty": ["EMPTY_CART"],
        "no delivery": ["DELIVERY_METHOD_REQUIRED"],
        "someone else's": ["NOT_FOUND"],
        "out of stock": ["OUT_OF_STOCK"],
        "price changed": ["PRICE_CHANGED"],
        "unknown card": ["INVALID_PAYMENT"],
        "blank key": ["INVALID_IDEMPOTENCY_KEY"],
        "unknown cart": ["NOT_FOUND"],
    }
    assert all(a["order"] is None for a in answers.values())
    assert await _orders(db) == 0
    assert await _level(db, w.variants["MUG-0"], w.warehouse.id) == (2, 0)
