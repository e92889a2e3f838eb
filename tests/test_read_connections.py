"""Reads of one HTTP request share one pooled connection; subscriptions hold none."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import Settings
from app.database import Database, create_engine
from app.server import create_app
from tests.conftest import POSTGRES_ADMIN_URL
from tests.factories.catalog import create_category, create_product
from tests.factories.channels import create_channel
from tests.graphql import gql
from tests.inventory.ws import GraphQLWebSocket

LISTING = """
query Listing($first: Int) {
  products(channel: "web", first: $first) {
    totalCount
    edges { node { handle title categories { handle } media { url }
                   variants { sku price { amount } inventory { available } } } }
  }
}
"""


class CheckoutCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1


@pytest.fixture
def checkouts(db: Database) -> Iterator[CheckoutCounter]:
    counter = CheckoutCounter()
    event.listen(db.engine.sync_engine, "checkout", counter)
    yield counter
    event.remove(db.engine.sync_engine, "checkout", counter)


async def _catalog(db: Database, count: int) -> None:
    web = await create_channel(db, code="web")
    shoes = await create_category(db)
    for n in range(count):
        await create_product(db, handle=f"p{n:02d}", channel_ids=[web.id],
                             category_ids=[shoes.id], variants=3)  # fmt: skip


async def test_a_listing_request_checks_out_one_connection(
    client: httpx.AsyncClient, db: Database, checkouts: CheckoutCounter
) -> None:
    # given a catalog, and a first request that has filled the caches
    await _catalog(db, 12)
    await gql(client, LISTING, {"first": 10})
    checkouts.count = 0
    # when
    body = await gql(client, LISTING, {"first": 10})
    # then every read of the request (page, count, variants, prices, stock...) used one
    assert "errors" not in body, body
    assert len(body["data"]["products"]["edges"]) == 10
    assert checkouts.count == 1


async def test_concurrent_requests_each_get_their_own_connection(
    client: httpx.AsyncClient, db: Database, checkouts: CheckoutCounter
) -> None:
    # given
    await _catalog(db, 12)
    await gql(client, LISTING, {"first": 10})
    checkouts.count = 0
    # when eight listings run at once
    bodies = await asyncio.gather(*(gql(client, LISTING, {"first": n}) for n in range(3, 11)))
    # then each is complete and correct
    for n, body in zip(range(3, 11), bodies, strict=True):
        assert "errors" not in body, body
        edges = body["data"]["products"]["edges"]
        assert len(edges) == n
        assert all(len(e["node"]["variants"]) == 3 for e in edges)
        assert body["data"]["products"]["totalCount"] == 12
    assert checkouts.count == 8


async def test_a_subscription_holds_no_connection_while_it_waits(
    db: Database, settings: Settings
) -> None:
    application = create_app(settings, db)
    async with GraphQLWebSocket(application) as ws:
        await ws.subscribe("subscription { inventoryChanged { sku available } }", {})
        await asyncio.sleep(0.1)
        assert db.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest.mark.postgres_only
async def test_a_read_recovers_from_a_connection_the_server_closed(database_url: str) -> None:
    # given a pool of one connection, which the server then terminates
    db = Database.from_url(database_url, pool_size=1)
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with db.read() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # when the next reads check the dead connection out again
        async with db.request_scope(), db.read() as conn:
            first = await conn.scalar(text("SELECT pg_backend_pid()"))
            second = await conn.scalar(text("SELECT 2"))
        # then they run on a new connection
        assert first != pid
        assert second == 2
    finally:
        await admin.dispose()
        await db.dispose()


async def test_engines_keep_bound_parameters_out_of_their_errors(database_url: str) -> None:
    # given an engine of the configured database
    engine = create_engine(database_url)
    secret = "cart-token-5f1e"
    try:
        # when a statement with a bound value fails
        async with engine.connect() as conn:
            with pytest.raises(Exception) as failed:  # noqa: PT011 - either driver's error
                await conn.execute(text("SELECT * FROM no_such_table WHERE t = :t"), {"t": secret})
    finally:
        await engine.dispose()
    # then neither the engine nor the error it raised carries the value
    assert engine.sync_engine.hide_parameters is True
    assert "no_such_table" in str(failed.value)
    assert secret not in str(failed.value)
