"""Staff change a customer's cart only where they may reach it, and a request cannot get past
the per-line quantity cap by naming a variant twice."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.carts.documents import CART, CREATE, line
from tests.factories.carts import world
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import gql


async def test_an_associate_cannot_write_into_a_customers_online_cart(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a shopper's web cart, and an associate of a store
    w = await world(db)
    shopper_id = await create_customer(db)
    shopper = await customer_token(db, settings, shopper_id)
    mine = await gql(
        client,
        CREATE,
        {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"), 2)], "note": "mine"}},
        token=shopper,
    )
    cart_id = mine["data"]["cartCreate"]["cart"]["id"]
    associate = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="a@example.com", home_location_id=w.store.id
    )
    # when the associate names the shopper as buyer of a web cart
    body = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "buyerIdentity": {"customerId": to_global_id("Customer", shopper_id)},
                "note": "written by associate",
                "lines": [line(w.variant("TEE-0"), 5)],
            }
        },
        token=associate,
    )
    # then it is refused as a cart the associate cannot see, and the shopper's cart is as it was
    payload = body["data"]["cartCreate"]
    assert payload["cart"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    after = (await gql(client, CART, {"id": cart_id}, token=shopper))["data"]["cart"]
    assert after["totalQuantity"] == 2
    assert after["note"] == "mine"


async def test_operations_staff_may_add_to_a_customers_cart(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    shopper_id = await create_customer(db)
    shopper = await customer_token(db, settings, shopper_id)
    await gql(
        client,
        CREATE,
        {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"), 2)]}},
        token=shopper,
    )
    operations = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="o@example.com")
    # when
    body = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "buyerIdentity": {"customerId": to_global_id("Customer", shopper_id)},
                "lines": [line(w.variant("TEE-0"), 1)],
            }
        },
        token=operations,
    )
    # then
    payload = body["data"]["cartCreate"]
    assert payload["userErrors"] == []
    assert payload["cart"]["totalQuantity"] == 3


async def test_naming_a_variant_twice_cannot_pass_the_quantity_cap(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    tee = w.variant("TEE-0")
    # when two lines of 100 of one variant are sent
    body = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(tee, 100), line(tee, 100)]}}
    )
    # then the total (200) is over the cap of 100 per line: nothing is created
    payload = body["data"]["cartCreate"]
    assert payload["cart"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["QUANTITY_LIMIT_EXCEEDED"]
