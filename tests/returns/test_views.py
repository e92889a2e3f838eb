"""Buy online, return in store, end to end through GraphQL: the store's stock grows, the
refund reaches the card, and the order, `me.returns` and the timeline show it."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.config import Settings
from app.database import Database
from app.models.order import Payment
from app.payments.gateway import gateway_for
from tests.graphql import gql
from tests.orders.test_fulfilment import _level
from tests.returns.helpers import receive, refund, shipped_order, start_return

ORDER_VIEW = (
    "query View($id: ID!) { order(id: $id) { cost { total { amount } } netTotal { amount }"
    " returns { number status locationId lines { sku restocked damaged } }"
    " refunds { amount { amount } method payments { amount { amount } } } } }"
)
ME = (
    "{ me { returns { number status orderNumber locationId }"
    " timeline(first: 10) { nodes { kind locationId } } } }"
)


async def test_buy_online_return_in_store(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: Ana's shipped web order; she brings a mug back to the downtown store
    shop = await shipped_order(client, db, settings)
    store = shop.w.location(shop.w.store)
    started = await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": store,
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 1}],
    })  # fmt: skip
    ret = started["return"]
    # when: the associate receives it into stock and refunds it
    got = await receive(client, shop.clerk, ret["id"], "rcv", [
        {"lineId": shop.line("MUG-0"), "quantity": 1, "disposition": "RESTOCK"}])  # fmt: skip
    assert got["userErrors"] == []
    paid = await refund(client, shop.clerk, ret["id"], "ref")
    assert paid["userErrors"] == []
    amount = paid["refund"]["amount"]["amount"]
    # then: the store has the mug to sell, the card got the money back
    assert await _level(db, shop.w, "MUG-0", shop.w.store.id) == (1, 0)
    async with db.write() as uow:
        (payment,) = (await uow.session.execute(select(Payment))).scalars()
    assert gateway_for("test").refunded[payment.reference] >= int(float(amount) * 100)
    # then: the order shows its return, its refund and what is left paid
    for token in (shop.customer, shop.ops):
        view = (await gql(client, ORDER_VIEW, {"id": shop.order["id"]}, token=token))["data"]
        order = view["order"]
        assert order["returns"] == [
            {
                "number": ret["number"],
                "status": "RECEIVED",
                "locationId": store,
                "lines": [{"sku": "MUG-0", "restocked": 1, "damaged": 0}],
            }
        ]
        assert order["refunds"] == [
            {
                "amount": {"amount": amount},
                "method": "ORIGINAL_PAYMENT",
                "payments": [{"amount": {"amount": amount}}],
            }
        ]
        total = float(order["cost"]["total"]["amount"])
        assert round(total - float(amount), 2) == float(order["netTotal"]["amount"])
    # then: the customer's own view and timeline show the return at the store
    me = (await gql(client, ME, token=shop.customer))["data"]["me"]
    assert me["returns"] == [
        {
            "number": ret["number"],
            "status": "RECEIVED",
            "orderNumber": shop.order["number"],
            "locationId": store,
        }
    ]
    kinds = [(n["kind"], n["locationId"]) for n in me["timeline"]["nodes"]]
    assert ("RETURN_RECEIVED", store) in kinds
    assert ("REFUND_CREATED", store) in kinds
    assert ("RETURN_REQUESTED", store) in kinds
