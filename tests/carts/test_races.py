"""Two devices editing one cart at once lose nothing; the last use of a code goes once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from app.config import Settings
from app.database import Database
from app.errors import DomainError
from app.models.pricing import DiscountCode, DiscountRedemption, PromotionTrigger
from app.pricing.redemption import redeem_codes
from tests.carts.documents import ADD, BUYER, CART, CREATE, ME_CART, UPDATE, line
from tests.factories.carts import promotion, world
from tests.factories.customers import create_customer, customer_token
from tests.graphql import gql

pytestmark = pytest.mark.postgres_only


async def test_simultaneous_additions_from_two_devices_all_land(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    phone, desktop = [await customer_token(db, settings, ana) for _ in range(2)]
    created = await gql(client, CREATE, {"input": {"channel": "web"}}, token=phone)
    cart_id = created["data"]["cartCreate"]["cart"]["id"]
    adds = [
        (token, sku)
        for _ in range(6)
        for token, sku in (
            (phone, "TEE-0"),
            (desktop, "TEE-0"),
            (phone, "MUG-0"),
            (desktop, "MUG-1"),
        )
    ]
    # when
    answers = await asyncio.gather(
        *[
            gql(client, ADD, {"id": cart_id, "lines": [line(w.variant(sku))]}, token=token)
            for token, sku in adds
        ]
    )
    # then
    assert all(a["data"]["cartLinesAdd"]["userErrors"] == [] for a in answers)
    cart = (await gql(client, CART, {"id": cart_id}, token=phone))["data"]["cart"]
    assert {ln["sku"]: ln["quantity"] for ln in cart["lines"]} == {
        "TEE-0": 12,
        "MUG-0": 6,
        "MUG-1": 6,
    }


async def test_quantity_updates_and_additions_racing_keep_every_change(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    phone, desktop = [await customer_token(db, settings, ana) for _ in range(2)]
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant("TEE-0")), line(w.variant("TEE-1"))],
            }
        },
        token=phone,
    )
    cart = created["data"]["cartCreate"]["cart"]
    tee0, tee1 = (ln["id"] for ln in cart["lines"])
    # when: the phone sets TEE-0 to 5 while the desktop sets TEE-1 to 7 and adds mugs
    answers = await asyncio.gather(
        gql(
            client, UPDATE, {"id": cart["id"], "lines": [{"id": tee0, "quantity": 5}]}, token=phone
        ),
        gql(
            client,
            UPDATE,
            {"id": cart["id"], "lines": [{"id": tee1, "quantity": 7}]},
            token=desktop,
        ),
        *[
            gql(client, ADD, {"id": cart["id"], "lines": [line(w.variant("MUG-0"))]}, token=t)
            for t in (phone, desktop) * 4
        ],
    )
    # then
    assert all(not next(iter(a["data"].values()))["userErrors"] for a in answers)
    final = (await gql(client, CART, {"id": cart["id"]}, token=phone))["data"]["cart"]
    assert {ln["sku"]: ln["quantity"] for ln in final["lines"]} == {
        "TEE-0": 5,
        "TEE-1": 7,
        "MUG-0": 8,
    }


async def test_two_devices_starting_a_cart_at_once_get_the_same_cart(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    tokens = [await customer_token(db, settings, ana) for _ in range(4)]
    # when
    answers = await asyncio.gather(
        *[
            gql(
                client,
                CREATE,
                {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"))]}},
                token=t,
            )
            for t in tokens
        ]
    )
    # then
    carts = [a["data"]["cartCreate"]["cart"] for a in answers]
    assert len({c["id"] for c in carts}) == 1
    final = (await gql(client, CART, {"id": carts[0]["id"]}, token=tokens[0]))["data"]["cart"]
    assert final["lines"][0]["quantity"] == 4


async def test_the_last_use_of_a_code_goes_to_one_checkout_only(db: Database) -> None:
    # given: a code with one use left, held by two carts
    await world(db)
    await promotion(
        db, name="Last one", trigger=PromotionTrigger.CODE, codes=["LAST"], code_usage_limit=1
    )
    outcomes: list[str] = []

    async def checkout() -> None:
        try:
            async with db.write() as uow:
                await redeem_codes(uow, cart_id=None, customer_id=None, codes=["LAST"])
                await asyncio.sleep(0.05)  # hold the row lock while the other one waits
            outcomes.append("redeemed")
        except DomainError as error:
            outcomes.append(error.code)

    # when
    await asyncio.gather(checkout(), checkout())
    # then
    assert sorted(outcomes) == ["DISCOUNT_CODE_EXHAUSTED", "redeemed"]
    async with db.read() as conn:
        used = (await conn.execute(select(DiscountCode.times_used))).scalar_one()
        redemptions = (await conn.execute(select(DiscountRedemption.id))).all()
    assert (used, len(redemptions)) == (1, 1)


async def test_two_guest_carts_claimed_at_once_end_in_one_cart_with_every_line(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the shopper filled a guest cart on the laptop and another on the tablet
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    laptop, tablet = [await customer_token(db, settings, ana) for _ in range(2)]
    guests = [
        (await gql(client, CREATE, {"input": {"channel": "web", "lines": lines}}))["data"][
            "cartCreate"
        ]["cart"]["id"]
        for lines in (
            [line(w.variant("TEE-0"), 2), line(w.variant("MUG-0"))],
            [line(w.variant("TEE-0"), 1), line(w.variant("MUG-1"), 3)],
        )
    ]
    # when: both devices sign in at the same moment
    answers = await asyncio.gather(
        gql(client, BUYER, {"id": guests[0], "buyer": {}}, token=laptop),
        gql(client, BUYER, {"id": guests[1], "buyer": {}}, token=tablet),
    )
    # then
    carts = [a["data"]["cartBuyerIdentityUpdate"]["cart"] for a in answers]
    assert all(not a["data"]["cartBuyerIdentityUpdate"]["userErrors"] for a in answers)
    final = (await gql(client, ME_CART, {"channel": "web"}, token=laptop))["data"]["me"]["cart"]
    assert final["id"] in {c["id"] for c in carts}
    assert {ln["sku"]: ln["quantity"] for ln in final["lines"]} == {
        "TEE-0": 2,
        "MUG-0": 1,
        "MUG-1": 3,
    }
