"""The demo retailer's promotions, codes and open carts, as a developer meets them."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.database import Database
from app.demo.guides import PICKUP_GUIDE_CART
from app.demo.loader import load_demo
from app.models.cart import Cart
from tests.carts.documents import CART, CREATE, ME_CART
from tests.conftest import truncate_all
from tests.graphql import gql

LOGIN = """
mutation { customerLogin(email: "camille.roy@demo.omnigraph.dev", password: "omnigraph-demo")
  { token } }
"""
STAFF = """
mutation { staffLogin(email: "admin@demo.omnigraph.dev", password: "omnigraph-demo") { token } }
"""
PROMOTIONS = "{ promotions(first: 10) { nodes { name channels codes { code usageLimit } } } }"


async def test_demo_has_promotions_codes_and_open_carts(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await load_demo(db)
    camille = (await gql(client, LOGIN))["data"]["customerLogin"]["token"]
    admin = (await gql(client, STAFF))["data"]["staffLogin"]["token"]
    # when
    on_app = await gql(client, ME_CART, {"channel": "app"}, token=camille)
    on_web = await gql(client, ME_CART, {"channel": "web"}, token=camille)
    promotions = await gql(client, PROMOTIONS, token=admin)
    async with db.read() as conn:
        guest_token = (
            # The guest's web cart (the orders demo adds a guest cart ready for checkout).
            await conn.execute(
                select(Cart.token).where(
                    Cart.customer_id.is_(None),
                    Cart.delivery_method.is_(None),
                    Cart.token != PICKUP_GUIDE_CART,
                )
            )
        ).scalar_one()
    guest = await gql(client, CART, {"id": guest_token})
    with_code = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "discountCodes": ["welcome10"],
                "lines": [
                    {"merchandiseId": on_app["data"]["me"]["cart"]["lines"][0]["merchandiseId"]}
                ],
            }
        },
    )
    # then
    cart = on_app["data"]["me"]["cart"]
    assert cart["totalQuantity"] == 3
    assert on_web["data"]["me"]["cart"]["id"] == cart["id"]
    assert "Hoodie season: 15 % off hoodies" in [d["promotion"] for d in cart["cost"]["discounts"]]
    assert guest["data"]["cart"]["cost"]["discounts"][0]["promotion"] == (
        "Socks: buy 2, get 1 free"
    )
    nodes = {p["name"]: p for p in promotions["data"]["promotions"]["nodes"]}
    assert nodes["App exclusive: 10 $ off 75 $"]["channels"] == ["app"]
    assert nodes["Welcome: 10 % off your first order"]["codes"] == [
        {"code": "WELCOME10", "usageLimit": 500}
    ]
    assert [c["code"] for c in with_code["data"]["cartCreate"]["cart"]["discountCodes"]] == [
        "WELCOME10"
    ]


async def test_demo_carts_are_deterministic(db: Database) -> None:
    async def tokens() -> list[str]:
        async with db.read() as conn:
            return list((await conn.execute(select(Cart.token).order_by(Cart.id))).scalars())

    await load_demo(db)
    first = await tokens()
    await truncate_all(db)
    await load_demo(db)
    assert await tokens() == first
