"""Journey 9: the same product costs the same, with the same promotions, on every channel,
unless a promotion is deliberately scoped to one."""

from __future__ import annotations

from typing import Any

import httpx

from app.database import Database
from app.models.pricing import PromotionKind, PromotionTarget, PromotionTrigger
from app.models.staff import StaffRole
from tests.carts.documents import CREATE, line
from tests.factories.carts import World, promotion, world
from tests.factories.customers import quick_staff_token
from tests.graphql import gql

LISTING = """
query Listing($id: ID!, $channel: String) {
  node(id: $id) { ... on ProductVariant {
    sku price(channel: $channel) { amount }
    pricing(channel: $channel) { price { amount } compareAtPrice { amount } promotions }
  } }
}
"""


async def _cart_on(client: httpx.AsyncClient, w: World, channel: str, token: str | None) -> Any:
    lines = [line(w.variant("TEE-0"), 2), line(w.variant("MUG-0"), 3), line(w.variant("MUG-1"))]
    body = await gql(
        client,
        CREATE,
        {"input": {"channel": channel, "lines": lines, "discountCodes": ["welcome5"]}},
        token=token,
    )
    assert body["data"]["cartCreate"]["userErrors"] == []
    return body["data"]["cartCreate"]["cart"]


async def test_the_same_lines_cost_the_same_on_web_app_and_pos(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: 15 % off mugs, buy 2 tees get 1 at half price, 5.00 off with a code
    w = await world(db)
    await promotion(
        db,
        name="Mug week",
        target=PromotionTarget.CATEGORIES,
        category_ids=[w.category_id],
        percentage_bp=1500,
        priority=10,
    )
    await promotion(
        db,
        name="Welcome",
        trigger=PromotionTrigger.CODE,
        codes=["WELCOME5"],
        kind=PromotionKind.FIXED_AMOUNT,
        amounts={"CAD": 500},
        priority=50,
    )
    associate = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="till@example.com", home_location_id=w.store.id
    )
    # when
    carts = {
        "web": await _cart_on(client, w, "web", None),
        "app": await _cart_on(client, w, "app", None),
        "pos": await _cart_on(client, w, "pos", associate),
    }
    # then
    costs = {channel: cart["cost"] for channel, cart in carts.items()}
    assert costs["web"] == costs["app"] == costs["pos"]
    lines = {channel: [ln["cost"] for ln in cart["lines"]] for channel, cart in carts.items()}
    assert lines["web"] == lines["app"] == lines["pos"]
    web = costs["web"]
    # 2 x 20.00 + 3 x 12.00 + 12.01 = 88.01; mugs 48.01 less 15 % = 7.20; then 5.00 off
    assert web["subtotal"]["amount"] == "88.01"
    assert [(d["promotion"], d["code"], d["amount"]["amount"]) for d in web["discounts"]] == [
        ("Mug week", None, "7.20"),
        ("Welcome", "WELCOME5", "5.00"),
    ]
    for cart in carts.values():
        for ln in cart["lines"]:
            allocated = sum(float(a["amount"]["amount"]) for a in ln["cost"]["discountAllocations"])
            assert round(float(ln["cost"]["subtotal"]["amount"]) - allocated, 2) == float(
                ln["cost"]["total"]["amount"]
            )


async def test_a_promotion_scoped_to_the_app_is_the_only_difference_and_is_named(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    await promotion(
        db,
        name="Mug week",
        target=PromotionTarget.CATEGORIES,
        category_ids=[w.category_id],
        percentage_bp=1500,
        priority=10,
    )
    await promotion(
        db,
        name="Welcome",
        trigger=PromotionTrigger.CODE,
        codes=["WELCOME5"],
        kind=PromotionKind.FIXED_AMOUNT,
        amounts={"CAD": 500},
        priority=50,
    )
    await promotion(
        db,
        name="App only: 10 % off",
        percentage_bp=1000,
        priority=90,
        channel_ids=[w.channels["app"]],
    )
    # when
    web = await _cart_on(client, w, "web", None)
    app = await _cart_on(client, w, "app", None)
    # then
    assert web["cost"]["subtotal"] == app["cost"]["subtotal"]
    web_names = [d["promotion"] for d in web["cost"]["discounts"]]
    app_names = [d["promotion"] for d in app["cost"]["discounts"]]
    assert web_names == ["Mug week", "Welcome"]
    assert app_names == ["Mug week", "Welcome", "App only: 10 % off"]
    assert float(app["cost"]["total"]["amount"]) < float(web["cost"]["total"]["amount"])


async def test_a_product_page_shows_what_a_one_unit_cart_costs(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    await promotion(
        db,
        name="Mug week",
        target=PromotionTarget.CATEGORIES,
        category_ids=[w.category_id],
        percentage_bp=1500,
    )
    await promotion(db, name="App only", percentage_bp=1000, channel_ids=[w.channels["app"]])
    for channel in ("web", "app", "pos"):
        # when
        page = await gql(client, LISTING, {"id": w.variant("MUG-1"), "channel": channel})
        cart = await gql(
            client, CREATE, {"input": {"channel": channel, "lines": [line(w.variant("MUG-1"))]}}
        )
        # then
        node = page["data"]["node"]
        cart_line = cart["data"]["cartCreate"]["cart"]["lines"][0]["cost"]
        assert node["price"]["amount"] == "12.01"
        assert node["pricing"]["price"]["amount"] == cart_line["total"]["amount"]
        assert node["pricing"]["compareAtPrice"] == {"amount": "12.01"}
    assert page["data"]["node"]["pricing"]["promotions"] == ["Mug week"]
