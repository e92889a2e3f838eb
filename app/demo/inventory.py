"""Demo stock: channel pools, stock at every location, a few empty shelves, a transfer on the
way and some reservations, all written through the same rules as production changes."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import insert

from app.auth.viewer import Viewer, ViewerKind
from app.database import UnitOfWork
from app.demo.context import DemoContext
from app.inventory import reservations, transfers
from app.inventory.rules import StockLine
from app.inventory.service import set_channel_pool
from app.kit.clock import utcnow
from app.models.inventory import InventoryMovement, MovementKind, StockLevel
from app.models.location import LocationKind
from app.models.staff import StaffRole

# Its own seed, so that adding demo steps before this one does not reshuffle the stock.
SEED = "omnigraph-demo-inventory"
# Share of (variant, store) pairs with nothing on the shelf.
STORE_STOCKOUT_RATE = 0.18
SYSTEM = Viewer(kind=ViewerKind.STAFF, role=StaffRole.ADMIN)


async def load(ctx: DemoContext) -> None:
    rnd = random.Random(SEED)
    session = ctx.session
    warehouses = [loc for loc in ctx.locations.values() if loc.kind is LocationKind.WAREHOUSE]
    stores = [loc for loc in ctx.locations.values() if loc.kind is LocationKind.STORE]
    shipping = [loc.id for loc in ctx.locations.values() if loc.ships]
    pools = {
        "web": (shipping, 0),
        "app": (shipping, 0),
        "pos": ([s.id for s in stores], 0),
        # The marketplace sells warehouse stock only, keeping two units per SKU back.
        "marketplace-us": ([w.id for w in warehouses], 2),
    }
    uow = UnitOfWork(session)
    for code, (location_ids, buffer) in pools.items():
        await set_channel_pool(uow, ctx.channels[code].id, location_ids, buffer)

    now = utcnow()
    levels: list[dict[str, Any]] = []
    movements: list[dict[str, Any]] = []
    for variant in ctx.variants:
        for location in warehouses + stores:
            if location.kind is LocationKind.WAREHOUSE:
                on_hand = rnd.randint(20, 150)
            else:
                on_hand = 0 if rnd.random() < STORE_STOCKOUT_RATE else rnd.randint(1, 12)
            safety = 1 if location.kind is LocationKind.STORE and on_hand >= 6 else 0
            levels.append({
                "variant_id": variant.id, "location_id": location.id, "on_hand": on_hand,
                "reserved": 0, "safety_stock": safety, "incoming": 0, "updated_at": now,
            })  # fmt: skip
            if on_hand:
                movements.append({
                    "variant_id": variant.id, "location_id": location.id,
                    "kind": MovementKind.RECEIPT, "quantity": on_hand, "on_hand_after": on_hand,
                    "reason": "Opening stock", "reference_type": "RECEIPT",
                    "reference_id": "DEMO-OPENING", "created_at": now,
                })  # fmt: skip
    # Thousands of rows: one executemany each rather than ORM objects.
    await session.execute(insert(StockLevel), levels)
    await session.execute(insert(InventoryMovement), movements)

    downtown, plateau = ctx.locations["st-downtown"], ctx.locations["st-plateau"]
    laval = ctx.locations["wh-laval"]
    # A replenishment on its way downtown: shows up as `incoming` there.
    await transfers.create_transfer(
        uow, SYSTEM, None, from_location_id=laval.id, to_location_id=downtown.id,
        lines=[StockLine(v.sku, 5) for v in ctx.variants[:8]], reference="DEMO-REPLENISH-1",
    )  # fmt: skip
    # Open web orders holding units at the warehouse and at a store.
    for variant in ctx.variants[8:20]:
        await reservations.reserve(
            uow, None, variant_id=variant.id, location_id=laval.id, quantity=2
        )
    for variant in ctx.variants[20:24]:
        level = next(
            lv
            for lv in levels
            if lv["variant_id"] == variant.id and lv["location_id"] == plateau.id
        )
        if level["on_hand"] - level["safety_stock"] >= 1:
            await reservations.reserve(
                uow, None, variant_id=variant.id, location_id=plateau.id, quantity=1
            )
    await session.flush()
