"""Many shoppers checking out the last units at once: exactly as many orders as units, the
rest a clean OUT_OF_STOCK, reserved equal to the open allocations, the ledger intact."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select, update

from app.database import Database
from app.inventory import repository as inventory_repository
from app.models.inventory import StockLevel
from app.orders import repository as order_repository
from app.orders.verify import reservation_drift
from tests.factories.carts import world
from tests.factories.inventory import stock
from tests.inventory.test_verify_and_demo import _verify
from tests.orders.documents import MONTREAL, cart_with, checkout


async def _race(client: httpx.AsyncClient, db: Database, shoppers: int, units: int) -> None:
    # given: `units` of TEE-0 in the warehouse, one cart per shopper
    w = await world(db, stock_units=0)
    await stock(db, "TEE-0", w.warehouse.id, units)
    carts = [
        await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
        for _ in range(shoppers)
    ]
    # when
    answers = await asyncio.gather(
        *[checkout(client, cart_id, f"race-{i}") for i, cart_id in enumerate(carts)]
    )
    # then
    placed = [a for a in answers if a["order"] is not None]
    refused = [a for a in answers if a["order"] is None]
    assert len(placed) == units
    assert {e["code"] for a in refused for e in a["userErrors"]} == {"OUT_OF_STOCK"}
    assert len(refused) == shoppers - units
    async with db.write() as uow:
        level = (
            await uow.session.execute(
                select(StockLevel).where(StockLevel.variant_id == w.variants["TEE-0"])
            )
        ).scalar_one()
        allocations = await order_repository.open_allocations(uow.session)
    assert (level.on_hand, level.reserved) == (units, units)
    assert allocations == {(w.variants["TEE-0"], w.warehouse.id): units}
    assert await inventory_repository.ledger_drift(db) == []
    assert await reservation_drift(db) == []


@pytest.mark.postgres_only
async def test_two_hundred_checkouts_for_twenty_units_place_twenty_orders(
    client: httpx.AsyncClient, db: Database
) -> None:
    await _race(client, db, shoppers=200, units=20)


async def test_concurrent_checkouts_never_oversell(client: httpx.AsyncClient, db: Database) -> None:
    await _race(client, db, shoppers=30, units=5)


async def test_inventory_verify_checks_reserved_against_open_orders(
    client: httpx.AsyncClient, db: Database, database_url: str
) -> None:
    # given: one open order holding a unit
    w = await world(db)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    assert (await checkout(client, cart_id, "v-1"))["order"] is not None
    clean = await _verify(database_url)
    # when: a reservation nobody holds appears
    async with db.write() as uow:
        await uow.session.execute(
            update(StockLevel)
            .where(StockLevel.variant_id == w.variants["TEE-0"])
            .values(reserved=StockLevel.reserved + 1)
        )
    tampered = await _verify(database_url)
    # then
    assert clean[0] == 0, clean[1]
    assert "reserved against open order allocations: ok" in clean[1]
    assert tampered[0] == 1
    assert "RESERVED" in tampered[1]
