"""Reads leave no SQL constructs in reference cycles: building a request's statements must not
give the cycle collector work (it took a quarter of the server's CPU under load)."""

from __future__ import annotations

import gc

import httpx

from app.database import Database
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import gql

LISTING = """
{ products(channel: "web", first: 10, sortKey: TITLE) {
    edges { node { handle title attributes { name } variants { sku selectedOptions { name } } } }
} }
"""


async def test_a_listing_leaves_no_sql_constructs_in_reference_cycles(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given a catalog, and a first request that has filled the caches
    web = await create_channel(db, code="web")
    for n in range(3):
        await create_product(db, handle=f"p{n}", channel_ids=[web.id])
    assert "errors" not in await gql(client, LISTING)
    gc.collect()
    # when a request runs with the collector off, and what it left unreachable is kept
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        body = await gql(client, LISTING)
        gc.collect()
        garbage = [type(o) for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    # then
    assert "errors" not in body
    left = sorted({f"{t.__module__}.{t.__qualname__}" for t in garbage
                   if t.__module__.startswith("sqlalchemy")})  # fmt: skip
    assert left == [], left
