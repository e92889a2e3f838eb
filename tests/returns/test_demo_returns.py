"""The demo's returns story: a web order returned at the downtown store, partly refunded."""

from __future__ import annotations

from decimal import Decimal

import httpx

from app.database import Database
from app.demo.loader import load_demo
from app.models.staff import StaffRole
from tests.factories.customers import quick_staff_token
from tests.graphql import gql

QUERY = (
    '{ orders(filter: {search: "camille.roy@demo.omnigraph.dev"}, first: 50) { nodes {'
    " channel status cost { total { amount } } netTotal { amount }"
    " returns { status lines { quantity restocked damaged } }"
    " refunds { amount { amount } method payments { amount { amount } } } } } }"
)


async def test_the_demo_has_a_web_order_returned_in_store_and_partly_refunded(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    assert await load_demo(db)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops-check@example.com")
    # when
    body = await gql(client, QUERY, token=ops)
    # then
    returned = [o for o in body["data"]["orders"]["nodes"] if o["returns"]]
    (order,) = returned
    assert order["channel"] == "web"
    assert order["returns"] == [
        {"status": "RECEIVED", "lines": [{"quantity": 2, "restocked": 1, "damaged": 1}]}
    ]
    (refund,) = order["refunds"]
    amount = Decimal(refund["amount"]["amount"])
    assert refund["method"] == "ORIGINAL_PAYMENT"
    assert refund["payments"] == [{"amount": refund["amount"]}]
    total = Decimal(order["cost"]["total"]["amount"])
    assert 0 < amount < total
    assert Decimal(order["netTotal"]["amount"]) == total - amount
