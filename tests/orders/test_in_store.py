"""Journey 5 at the till: cash and carry, and endless aisle (home delivery or pickup at another
store) for a recognised customer or a walk-in, paid with split tenders."""

from __future__ import annotations

from typing import Any

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.carts import world
from tests.factories.channels import create_location
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.factories.inventory import set_pool, stock
from tests.graphql import gql
from tests.orders.documents import ORDER_FIELDS, cart_with, result
from tests.orders.test_fulfilment import _level, _sales

IN_STORE = (
    "mutation Sell($input: OrderCreateInStoreInput!) { orderCreateInStore(input: $input) {"
    " order {" + ORDER_FIELDS + " payments { tender change { amount } } }"
    " userErrors { field code message } } }"
)
ME_ORDERS = "{ me { orders { nodes { number channel status } } } }"
HOME = {"line1": "5 Elm St", "city": "Laval", "countryCode": "CA", "region": "QC",
        "latitude": 45.6, "longitude": -73.7}  # fmt: skip


async def _sell(
    client: httpx.AsyncClient, token: str, cart_id: str, key: str, tenders: list[dict[str, Any]]
) -> dict[str, Any]:
    variables = {"input": {"cartId": cart_id, "idempotencyKey": key, "tenders": tenders}}
    return result(await gql(client, IN_STORE, variables, token=token), "orderCreateInStore")


async def test_cash_and_carry_hands_over_at_once_with_change(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a recognised customer buys a mug the store has, paying 20.00 cash
    w = await world(db)
    await stock(db, "MUG-0", w.store.id, 5)
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    ana = await create_customer(db, email="ana@example.com")
    cart_id = await cart_with(
        client, [(w.variant("MUG-0"), 1)], channel="pos", token=clerk,
        customer=to_global_id("Customer", ana),
    )  # fmt: skip
    # when
    sold = await _sell(client, clerk, cart_id, "till-1", [{"kind": "CASH", "amount": "20.00"}])
    # then: 12.00 + QC tax 1.80 = 13.80; 6.20 back
    assert sold["userErrors"] == []
    order = sold["order"]
    assert order["status"] == "PICKED_UP"
    assert order["channel"] == "pos"
    (handover,) = order["fulfillments"]
    assert (handover["method"], handover["locationId"]) == (
        "IN_STORE_HANDOVER",
        w.location(w.store),
    )
    assert order["cost"]["total"]["amount"] == "13.80"
    assert order["payments"][0]["tender"] == "CASH"
    assert order["payments"][0]["amount"]["amount"] == "13.80"
    assert order["payments"][0]["change"]["amount"] == "6.20"
    assert await _level(db, w, "MUG-0", w.store.id) == (4, 0)
    assert await _sales(db) == [(w.store.id, -1)]
    token = await customer_token(db, settings, ana)
    mine = await gql(client, ME_ORDERS, token=token)
    assert mine["data"]["me"]["orders"]["nodes"] == [
        {"number": order["number"], "channel": "pos", "status": "PICKED_UP"}
    ]


async def test_an_item_the_store_lacks_is_ordered_for_home_delivery(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: the store has no tees; a walk-in wants two delivered home
    w = await world(db)
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    carry = await cart_with(client, [(w.variant("TEE-0"), 2)], channel="pos", token=clerk)
    home = await cart_with(
        client, [(w.variant("TEE-0"), 2)], channel="pos", token=clerk, ship_to=HOME
    )
    # when
    not_here = await _sell(client, clerk, carry, "till-2", [{"kind": "CASH", "amount": "100"}])
    short = await _sell(client, clerk, home, "till-3", [{"kind": "CASH", "amount": "10.00"}])
    card_change = await _sell(
        client, clerk, home, "till-4",
        [{"kind": "CARD_PRESENT", "amount": "100.00", "reference": "tok_visa"}],
    )  # fmt: skip
    declined = await _sell(
        client, clerk, home, "till-5",
        [{"kind": "CARD_PRESENT", "amount": "40.00", "reference": "tok_declined"},
         {"kind": "CASH", "amount": "30.00"}],
    )  # fmt: skip
    split = await _sell(
        client, clerk, home, "till-6",
        [{"kind": "CARD_PRESENT", "amount": "40.00", "reference": "tok_visa"},
         {"kind": "CASH", "amount": "30.00"}],
    )  # fmt: skip
    # then
    refused = (not_here, short, card_change, declined)
    codes = [[e["code"] for e in a["userErrors"]] for a in refused]
    assert codes == [["OUT_OF_STOCK"], ["PAYMENT_INSUFFICIENT"], ["PAYMENT_INSUFFICIENT"],
                     ["PAYMENT_DECLINED"]]  # fmt: skip
    assert split["userErrors"] == []
    order = split["order"]
    (ship,) = order["fulfillments"]
    assert (ship["method"], ship["status"]) == ("SHIPPING", "PLACED")
    assert ship["locationId"] == w.location(w.warehouse)
    assert [p["tender"] for p in order["payments"]] == ["CARD_PRESENT", "CASH"]
    total = order["cost"]["total"]["amount"]
    paid = sum(float(p["amount"]["amount"]) for p in order["payments"])
    assert round(paid, 2) == float(total)
    assert await _level(db, w, "TEE-0", w.warehouse.id) == (50, 2)


async def test_an_item_is_sent_to_another_store_for_pickup(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: the customer will collect at the uptown store, which has none either
    w = await world(db)
    uptown = await create_location(db, code="uptown", pickup=True, latitude=45.52)
    await set_pool(db, w.channels["pos"], [w.warehouse.id, w.store.id, uptown.id])
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    cart_id = await cart_with(
        client, [(w.variant("MUG-1"), 1)], channel="pos", token=clerk,
        pickup_at=to_global_id("Location", uptown.id),
    )  # fmt: skip
    # when
    sold = await _sell(client, clerk, cart_id, "till-7", [{"kind": "CASH", "amount": "20"}])
    # then
    assert sold["userErrors"] == []
    (pickup,) = sold["order"]["fulfillments"]
    assert pickup["status"] == "AWAITING_TRANSFER"
    assert pickup["locationId"] == to_global_id("Location", uptown.id)
    assert pickup["transferId"] is not None
