"""Stock and price warnings on a cart, the quantity cap setting, and expiry with purge."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from app.config import Settings
from app.database import Database
from app.kit.clock import utcnow
from app.models.cart import Cart
from app.models.catalog import Price, Product, ProductStatus
from app.server import create_app
from tests.carts.documents import ADD, CART, CREATE, DELIVERY, ME_CART, line
from tests.factories.carts import world
from tests.factories.customers import create_customer, customer_token
from tests.factories.inventory import stock
from tests.graphql import error_codes, gql

TIMELINE = "{ me { timeline(first: 5) { nodes { kind data } } } }"


def _warnings(cart: dict[str, object]) -> list[tuple[str, str | None]]:
    skus = {ln["id"]: ln["sku"] for ln in cart["lines"]}  # type: ignore[attr-defined,index]
    return sorted((w["code"], skus.get(w["lineId"])) for w in cart["warnings"])  # type: ignore[attr-defined,index]


async def test_lines_are_checked_against_the_chosen_delivery_and_never_dropped(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: 3 TEE-0 in the warehouse, 1 MUG-0 in the store, nothing else
    w = await world(db, stock_units=0)
    await stock(db, "TEE-0", w.warehouse.id, 3)
    await stock(db, "MUG-0", w.store.id, 1)
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [
                    line(w.variant("TEE-0"), 5),
                    line(w.variant("TEE-1")),
                    line(w.variant("MUG-0")),
                ],
            }
        },
    )
    cart = created["data"]["cartCreate"]["cart"]
    # when: shipping from the channel's pool, then pickup at the store
    picked = await gql(
        client,
        DELIVERY,
        {"id": cart["id"], "input": {"method": "PICKUP", "pickupLocationId": w.location(w.store)}},
    )
    async with db.write() as uow:
        await uow.session.execute(
            update(Price).where(Price.variant_id == w.variants["MUG-0"]).values(amount=1350)
        )
        await uow.session.execute(
            update(Product)
            .where(Product.id == w.products["tee"])
            .values(status=ProductStatus.DRAFT)
        )
    later = await gql(client, CART, {"id": cart["id"]})
    # then
    assert _warnings(cart) == [("NOT_ENOUGH_STOCK", "TEE-0"), ("OUT_OF_STOCK", "TEE-1")]
    assert _warnings(picked["data"]["cartDeliveryMethodUpdate"]["cart"]) == [
        ("OUT_OF_STOCK", "TEE-0"),
        ("OUT_OF_STOCK", "TEE-1"),
    ]
    assert _warnings(later["data"]["cart"]) == [
        ("PRICE_CHANGED", "MUG-0"),
        ("PRODUCT_UNAVAILABLE", "TEE-0"),
        ("PRODUCT_UNAVAILABLE", "TEE-1"),
    ]
    assert len(later["data"]["cart"]["lines"]) == 3
    assert later["data"]["cart"]["cost"]["subtotal"]["amount"] == "13.50"


@pytest.fixture
async def capped_client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    capped = settings.model_copy(update={"cart_line_quantity_max": 3, "cart_lines_max": 2})
    transport = httpx.ASGITransport(app=create_app(capped, db))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_the_quantity_cap_and_line_limit_are_settings(
    capped_client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    created = await gql(
        capped_client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant("TEE-0"), 3), line(w.variant("MUG-0"))],
            }
        },
    )
    cart_id = created["data"]["cartCreate"]["cart"]["id"]
    # when
    over = await gql(capped_client, ADD, {"id": cart_id, "lines": [line(w.variant("TEE-0"))]})
    third = await gql(capped_client, ADD, {"id": cart_id, "lines": [line(w.variant("MUG-1"))]})
    # then
    assert over["data"]["cartLinesAdd"]["userErrors"][0]["code"] == "QUANTITY_LIMIT_EXCEEDED"
    assert third["data"]["cartLinesAdd"]["userErrors"][0]["code"] == "TOO_MANY_LINES"


async def _age(db: Database, cart_id: str, days: int) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(Cart)
            .where(Cart.token == cart_id)
            .values(updated_at=utcnow() - timedelta(days=days))
        )


async def _purge(database_url: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "carts",
        "purge",
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    return output.decode()


async def test_idle_carts_expire_purge_removes_them_and_customers_see_cart_abandoned(
    client: httpx.AsyncClient, db: Database, settings: Settings, database_url: str
) -> None:
    # given: a guest cart idle 15 days (limit 14), a customer cart idle 61 days (limit 60),
    # and a customer cart idle 30 days
    w = await world(db)
    ana_id = await create_customer(db, email="ana@example.com")
    bob_id = await create_customer(db, email="bob@example.com")
    ana = await customer_token(db, settings, ana_id)
    bob = await customer_token(db, settings, bob_id)
    items = {"channel": "web", "lines": [line(w.variant("TEE-0"), 2)]}
    guest = (await gql(client, CREATE, {"input": items}))["data"]["cartCreate"]["cart"]["id"]
    mine = (await gql(client, CREATE, {"input": items}, token=ana))["data"]["cartCreate"]
    fresh = (await gql(client, CREATE, {"input": items}, token=bob))["data"]["cartCreate"]
    await _age(db, guest, 15)
    await _age(db, mine["cart"]["id"], 61)
    await _age(db, fresh["cart"]["id"], 30)
    # when
    read_expired = await gql(client, CART, {"id": guest})
    write_expired = await gql(client, ADD, {"id": guest, "lines": [line(w.variant("MUG-0"))]})
    me_cart = await gql(client, ME_CART, {}, token=ana)
    report = await _purge(database_url)
    after = await gql(client, CART, {"id": guest})
    timeline = await gql(client, TIMELINE, token=ana)
    # then
    assert error_codes(read_expired) == ["CART_EXPIRED"]
    assert write_expired["data"]["cartLinesAdd"]["userErrors"][0]["code"] == "CART_EXPIRED"
    assert me_cart["data"]["me"]["cart"] is None
    assert "expired 2 idle carts (1 abandoned by customers); removed 2 closed carts" in report
    assert error_codes(after) == ["NOT_FOUND"]
    events = timeline["data"]["me"]["timeline"]["nodes"]
    assert events[0]["kind"] == "CART_ABANDONED"
    assert (events[0]["data"]["lines"], events[0]["data"]["units"]) == (1, 2)
    async with db.read() as conn:
        left = (await conn.execute(select(func.count()).select_from(Cart))).scalar_one()
    assert left == 1
    # and Ana's next cart is a new one
    again = await gql(client, CREATE, {"input": items}, token=ana)
    assert again["data"]["cartCreate"]["cart"]["id"] != mine["cart"]["id"]
