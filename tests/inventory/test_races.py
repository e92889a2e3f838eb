"""PostgreSQL only: concurrent requests against one stock level, run truly in parallel, and
the database's own guard of the ledger."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.database import Database
from app.inventory import reservations
from app.inventory.errors import InsufficientStock
from app.inventory.verify import verify_ledger
from app.models.inventory import InventoryMovement
from tests.factories.auth import staff_token
from tests.factories.inventory import stock, variant_id
from tests.graphql import gql
from tests.inventory.helpers import level_of, shop

pytestmark = pytest.mark.postgres_only

ADJUST = """
mutation($input: InventoryAdjustInput!) {
  inventoryAdjust(input: $input) { stockLevel { onHand } userErrors { code } }
}
"""
RACERS = 50


async def test_concurrent_adjustments_lose_no_update(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 10)
    token = await staff_token(db, settings)
    variables = {
        "input": {"locationId": s.loc(s.downtown), "sku": "TEE-0", "delta": 1, "reason": "race"}
    }
    # when
    bodies = await asyncio.gather(
        *(gql(client, ADJUST, variables, token=token) for _ in range(RACERS))
    )
    # then
    assert all(b["data"]["inventoryAdjust"]["userErrors"] == [] for b in bodies)
    vid = await variant_id(db, "TEE-0")
    assert (await level_of(db, vid, s.downtown.id) or {})["on_hand"] == 10 + RACERS
    assert (await verify_ledger(db)).ok


async def test_concurrent_decrements_stop_at_zero(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: 30 units and 50 requests to take one each
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 30)
    token = await staff_token(db, settings)
    variables = {
        "input": {"locationId": s.loc(s.downtown), "sku": "TEE-0", "delta": -1, "reason": "race"}
    }
    # when
    bodies = await asyncio.gather(
        *(gql(client, ADJUST, variables, token=token) for _ in range(RACERS))
    )
    # then
    outcomes = [b["data"]["inventoryAdjust"] for b in bodies]
    assert sum(1 for o in outcomes if not o["userErrors"]) == 30
    assert all(
        o["userErrors"][0]["code"] == "INSUFFICIENT_STOCK" for o in outcomes if o["userErrors"]
    )
    vid = await variant_id(db, "TEE-0")
    assert (await level_of(db, vid, s.downtown.id) or {})["on_hand"] == 0
    assert (await verify_ledger(db)).ok


async def test_concurrent_reservations_of_the_last_units_never_oversell(db: Database) -> None:
    # given: 5 units left
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5)
    vid = await variant_id(db, "TEE-0")

    async def reserve_one() -> bool:
        try:
            async with db.write() as uow:
                await reservations.reserve(
                    uow, None, variant_id=vid, location_id=s.downtown.id, quantity=1
                )
        except InsufficientStock:
            return False
        return True

    # when
    results = await asyncio.gather(*(reserve_one() for _ in range(RACERS)))
    # then
    assert results.count(True) == 5
    assert await level_of(db, vid, s.downtown.id) == {
        "on_hand": 5,
        "reserved": 5,
        "incoming": 0,
        "safety_stock": 0,
    }
    assert (await verify_ledger(db)).ok


async def test_crossing_transfers_do_not_deadlock(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: two transfers in opposite directions over the same two SKUs, many times over
    s = await shop(db)
    for sku in ("TEE-0", "TEE-1"):
        await stock(db, sku, s.warehouse.id, 100)
        await stock(db, sku, s.downtown.id, 100)
    token = await staff_token(db, settings)
    create = """mutation($input: InventoryTransferCreateInput!) {
      inventoryTransferCreate(input: $input) { userErrors { code } } }"""
    lines = [{"sku": "TEE-1", "quantity": 1}, {"sku": "TEE-0", "quantity": 1}]
    there = {
        "input": {
            "fromLocationId": s.loc(s.warehouse),
            "toLocationId": s.loc(s.downtown),
            "lines": lines,
        }
    }
    back = {
        "input": {
            "fromLocationId": s.loc(s.downtown),
            "toLocationId": s.loc(s.warehouse),
            "lines": lines[::-1],
        }
    }
    # when
    bodies = await asyncio.gather(
        *(gql(client, create, there if n % 2 else back, token=token) for n in range(20))
    )
    # then
    assert all("errors" not in b for b in bodies), bodies
    assert all(b["data"]["inventoryTransferCreate"]["userErrors"] == [] for b in bodies)
    assert (await verify_ledger(db)).ok


async def test_the_database_refuses_to_edit_or_delete_ledger_movements(db: Database) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 3)
    # when / then
    for statement in (
        update(InventoryMovement).values(quantity=300),
        delete(InventoryMovement),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.write() as uow:
                await uow.session.execute(statement)
    assert (await verify_ledger(db)).ok
