"""Journey 7: a marketplace order is imported once, at the marketplace's prices, reserves the
marketplace channel's pool, and shows in the recognised buyer's single view."""

from __future__ import annotations

from typing import Any

import httpx

from app.config import Settings
from app.database import Database
from app.models.channel import ChannelKind
from tests.factories.carts import World, world
from tests.factories.channels import create_channel
from tests.factories.customers import create_customer, customer_token, partner_key
from tests.factories.inventory import set_pool
from tests.graphql import gql
from tests.orders.documents import ORDER_FIELDS
from tests.orders.test_fulfilment import _level

IMPORT = (
    "mutation Import($channel: String!, $externalId: String!,"
    " $lines: [MarketplaceOrderLineInput!]!, $buyer: MarketplaceBuyerInput!,"
    " $payment: MarketplacePaymentInput!) {"
    " marketplaceOrderImport(channel: $channel, externalId: $externalId, lines: $lines,"
    ' buyer: $buyer, payment: $payment, shipping: "5.00", addresses: {shipping:'
    ' {line1: "9 King St W", city: "Toronto", region: "ON", countryCode: "CA",'
    " latitude: 43.65, longitude: -79.38}}) { order {" + ORDER_FIELDS + "}"
    " userErrors { field code message } } }"
)
ME_ORDERS = "{ me { orders { nodes { number channel } } } }"


def _variables(**changes: Any) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "channel": "amazon-ca",
        "externalId": "702-1234567-1",
        "lines": [{"sku": "TEE-0", "quantity": 2, "unitPrice": "18.50", "tax": "4.81"}],
        "buyer": {"email": "Ana@Example.com", "firstName": "Ana"},
        "payment": {"reference": "AMZ-PAY-1", "amount": "46.81"},
    }
    variables.update(changes)
    return variables


async def _marketplace(db: Database, w: World) -> str:
    channel = await create_channel(db, code="amazon-ca", kind=ChannelKind.MARKETPLACE)
    await set_pool(db, channel.id, [w.warehouse.id])
    return await partner_key(db, scopes=["orders:write"])


async def test_a_marketplace_order_is_imported_once_at_its_prices_for_the_known_buyer(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    key = await _marketplace(db, w)
    ana = await create_customer(db, email="ana@example.com")
    headers = {"X-Api-Key": key}
    # when
    first = await gql(client, IMPORT, _variables(), headers=headers)
    again = await gql(client, IMPORT, _variables(), headers=headers)
    changed = await gql(
        client,
        IMPORT,
        _variables(lines=[{"sku": "TEE-0", "quantity": 3, "unitPrice": "18.50"}]),
        headers=headers,
    )
    # then
    placed = first["data"]["marketplaceOrderImport"]
    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["channel"] == "amazon-ca"
    assert order["lines"][0]["unitPrice"]["amount"] == "18.50"
    assert order["cost"]["total"]["amount"] == "46.81"
    assert order["payments"][0]["tender"] == "MARKETPLACE"
    assert order["fulfillments"][0]["locationId"] == w.location(w.warehouse)
    assert again["data"]["marketplaceOrderImport"]["order"]["id"] == order["id"]
    assert [e["code"] for e in changed["data"]["marketplaceOrderImport"]["userErrors"]] == [
        "IDEMPOTENCY_KEY_REUSED"
    ]
    assert await _level(db, w, "TEE-0", w.warehouse.id) == (50, 2)
    token = await customer_token(db, settings, ana)
    mine = await gql(client, ME_ORDERS, token=token)
    assert mine["data"]["me"]["orders"]["nodes"] == [
        {"number": order["number"], "channel": "amazon-ca"}
    ]


async def test_bad_marketplace_orders_write_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db, stock_units=1)
    key = await _marketplace(db, w)
    headers = {"X-Api-Key": key}
    cases = {
        "unknown sku": _variables(lines=[{"sku": "NOPE-1", "quantity": 1, "unitPrice": "1"}]),
        "out of stock": _variables(
            lines=[{"sku": "MUG-0", "quantity": 5, "unitPrice": "1"}],
            payment={"reference": "p", "amount": "10.00"},
        ),
        "short payment": _variables(payment={"reference": "p", "amount": "1.00"}),
        "not a marketplace": _variables(channel="web"),
    }
    # when
    codes = {}
    for name, variables in cases.items():
        body = await gql(client, IMPORT, variables, headers=headers)
        answer = body["data"]["marketplaceOrderImport"]
        assert answer["order"] is None
        codes[name] = [e["code"] for e in answer["userErrors"]]
    # then
    assert codes == {
        "unknown sku": ["UNKNOWN_SKU"],
        "out of stock": ["OUT_OF_STOCK"],
        "short payment": ["PAYMENT_INSUFFICIENT"],
        "not a marketplace": ["FORBIDDEN"],
    }
    assert await _level(db, w, "MUG-0", w.warehouse.id) == (1, 0)
