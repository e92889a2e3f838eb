from __future__ import annotations

import asyncio
import os
import sys

from sqlalchemy import func, select, update

from app.database import Database
from app.demo.loader import load_demo
from app.models.inventory import StockLevel
from app.models.location import Location, LocationKind


async def _verify(database_url: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "inventory",
        "verify",
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def test_demo_stock_passes_verify_and_a_tampered_level_fails_it(
    db: Database, database_url: str
) -> None:
    # given
    await load_demo(db)
    # when
    clean = await _verify(database_url)
    async with db.write() as uow:
        first = (await uow.session.execute(select(func.min(StockLevel.id)))).scalar_one()
        await uow.session.execute(
            update(StockLevel).where(StockLevel.id == first).values(on_hand=StockLevel.on_hand + 1)
        )
    tampered = await _verify(database_url)
    # then
    assert clean[0] == 0, clean[1]
    assert "ledger: ok" in clean[1]
    assert tampered[0] == 1
    assert "DRIFT" in tampered[1]


async def test_demo_has_stock_everywhere_and_empty_shelves_in_some_stores(db: Database) -> None:
    # given
    await load_demo(db)
    # when
    async with db.read() as conn:
        rows = (
            await conn.execute(
                select(
                    Location.kind,
                    Location.code,
                    func.count(),
                    func.sum(StockLevel.on_hand),
                    func.sum(func.cast(StockLevel.on_hand == 0, StockLevel.on_hand.type)),
                )
                .join(Location, Location.id == StockLevel.location_id)
                .group_by(Location.kind, Location.code)
            )
        ).all()
    # then: every location holds stock; every store misses some variants
    assert len(rows) == 9
    for kind, code, _, on_hand, empty in rows:
        assert on_hand > 0, code
        if kind == LocationKind.STORE:
            assert empty > 0, code
