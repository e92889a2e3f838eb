from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.database import Database
from app.demo.loader import load_demo
from app.models.catalog import Price, Product, ProductTranslation, Variant
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind
from tests.conftest import truncate_all
from tests.graphql import gql


async def _digest(db: Database) -> str:
    async with db.read() as conn:
        rows = await conn.execute(
            select(Variant.sku, Price.currency_code, Price.amount)
            .join(Price, Price.variant_id == Variant.id)
            .order_by(Variant.sku, Price.currency_code)
        )
        return hashlib.sha256(repr(rows.all()).encode()).hexdigest()


async def test_demo_data_tells_the_omnichannel_story(db: Database) -> None:
    assert await load_demo(db) is True
    async with db.read() as conn:

        async def count(stmt: object) -> int:
            return int((await conn.execute(stmt)).scalar_one())  # type: ignore[call-overload]

        assert await count(select(func.count()).select_from(Product)) >= 150
        assert await count(select(func.count()).select_from(Variant)) >= 600
        kinds = set((await conn.execute(select(Channel.kind))).scalars())
        assert kinds == set(ChannelKind)
        stores = select(func.count()).where(Location.kind == LocationKind.STORE)
        warehouses = select(func.count()).where(Location.kind == LocationKind.WAREHOUSE)
        assert await count(stores) >= 6
        assert await count(warehouses) == 2
        currencies = select(func.count(func.distinct(Price.currency_code)))
        locales = select(func.count(func.distinct(ProductTranslation.locale)))
        assert await count(currencies) == 2
        assert await count(locales) == 2
    # a second load leaves the data alone
    assert await load_demo(db) is False


async def test_demo_data_is_deterministic(db: Database) -> None:
    await load_demo(db)
    first = await _digest(db)
    await truncate_all(db)
    await load_demo(db)
    assert await _digest(db) == first


async def test_demo_catalog_is_served(client: httpx.AsyncClient, db: Database) -> None:
    await load_demo(db)
    query = '{ products(channel: "pos", first: 3) { totalCount edges { node { title variants {'
    body = await gql(client, query + " price { currencyCode } } } } } }")
    products = body["data"]["products"]
    assert products["totalCount"] >= 140
    assert products["edges"][0]["node"]["variants"][0]["price"]["currencyCode"] == "CAD"


def test_cli_migrates_and_seeds_an_empty_sqlite_file(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    cli = [sys.executable, "-m", "app.cli"]
    upgrade = subprocess.run([*cli, "db", "upgrade"], env=env, capture_output=True, text=True)
    assert upgrade.returncode == 0, upgrade.stderr
    seed = subprocess.run([*cli, "seed", "demo"], env=env, capture_output=True, text=True)
    assert seed.returncode == 0, seed.stderr
    assert "demo data loaded" in seed.stdout
    again = subprocess.run([*cli, "seed", "demo"], env=env, capture_output=True, text=True)
    assert "already present" in again.stdout
