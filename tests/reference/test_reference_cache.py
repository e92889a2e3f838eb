"""Channels, locations and pools are read once per process and reloaded exactly when a write
changes them: at once in the writing process, through Redis in the others."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import event

from app.channels import repository as channel_repository
from app.channels.views import ChannelView
from app.config import Settings
from app.database import Database
from app.models.channel import Channel
from app.reference import cache as reference
from app.server import create_app
from tests.conftest import StatementCounter
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location
from tests.factories.inventory import set_pool, stock
from tests.graphql import gql
from tests.inventory.helpers import Shop, shop

REDIS_URL = "redis://127.0.0.1:6379"

LISTING = """
query($near: GeoPointInput!) {
  products(channel: "web", first: 10) {
    nodes { handle variants {
      sku inventory { available onHand }
      pickupAvailability(near: $near, radiusKm: 50, first: 2) { available location { code } }
    } }
  }
}
"""
INVENTORY = """{ variant(sku: "TEE-0") { inventory(channel: "web") { available } } }"""
POOL_SET = """
mutation($ids: [ID!]!) {
  channelStockPoolSet(channel: "web", locationIds: $ids, buffer: 1) { userErrors { code } }
}
"""
CHANNELS = "{ channels { code } }"
LOCATIONS = "{ locations(first: 20) { nodes { code } } }"
REFERENCE_READ = re.compile(
    r"\b(FROM|JOIN) (channel|location|channel_location|channel_stock_pool)\b", re.IGNORECASE
)


def _reference_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if REFERENCE_READ.search(s)]


async def _available(http: httpx.AsyncClient) -> int:
    body = await gql(http, INVENTORY)
    assert "errors" not in body, body
    return int(body["data"]["variant"]["inventory"]["available"])


async def _shop_with_stock(db: Database) -> Shop:
    """Web sells from the warehouse, which is empty; 4 units wait downtown."""
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id])
    await stock(db, "TEE-0", s.downtown.id, 4)
    return s


async def test_a_listing_reads_channels_locations_and_pools_once_per_process(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # given a catalog with stock, and a process that has read nothing yet
    s = await _shop_with_stock(db)
    for n in range(3):
        await create_product(db, handle=f"p{n}", channel_ids=[s.web_id], variants=2)
    await reference.forget(db)
    near = {"latitude": 45.5010, "longitude": -73.5706}
    # when the same listing is asked twice
    count_statements.statements.clear()
    cold_body = await gql(client, LISTING, {"near": near})
    cold = list(count_statements.statements)
    count_statements.statements.clear()
    warm_body = await gql(client, LISTING, {"near": near})
    warm = list(count_statements.statements)
    # then the first reads the three reference tables, the second none of them
    assert "errors" not in cold_body, cold_body
    assert warm_body["data"] == cold_body["data"]
    assert len(_reference_reads(cold)) == 3
    assert _reference_reads(warm) == []
    assert len(warm) == len(cold) - 3


async def test_a_pool_change_is_visible_on_the_very_next_request(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given a cached pool that holds no stock
    s = await _shop_with_stock(db)
    token = await staff_token(db, settings)
    assert await _available(client) == 0
    # when the web pool moves to the downtown store, with a buffer of one
    done = await gql(client, POOL_SET, {"ids": [s.loc(s.downtown)]}, token=token)
    # then
    assert done["data"]["channelStockPoolSet"]["userErrors"] == []
    assert await _available(client) == 3


async def test_new_channels_and_locations_are_listed_at_once_and_only_announced_writes_count(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given cached channels and locations
    await create_channel(db, code="web")
    await create_location(db, code="downtown")
    assert (await gql(client, CHANNELS))["data"]["channels"] == [{"code": "web"}]
    # when a channel is written without announcing it, then a location the way writes do
    async with db.write() as uow:
        uow.session.add(Channel(code="app", name="App", kind="APP", currency_code="CAD",
                                default_locale="en"))  # fmt: skip
    unannounced = await gql(client, CHANNELS)
    await create_location(db, code="plateau")
    # then the cache served the unannounced write stale, and the announced one reloaded all
    assert unannounced["data"]["channels"] == [{"code": "web"}]
    channels = (await gql(client, CHANNELS))["data"]["channels"]
    assert [c["code"] for c in channels] == ["web", "app"]
    locations = (await gql(client, LOCATIONS))["data"]["locations"]["nodes"]
    assert sorted(n["code"] for n in locations) == ["downtown", "plateau"]


@pytest.fixture
async def redis_settings(settings: Settings) -> Settings:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError:
        pytest.skip("no Redis at " + REDIS_URL)
    finally:
        await redis.aclose()
    # A prefix of its own, so that parallel runs on the same Redis do not hear each other.
    return settings.model_copy(
        update={"redis_url": REDIS_URL, "events_prefix": f"test-{uuid.uuid4().hex}"}
    )


@pytest.fixture
async def second_process_db(database_url: str) -> AsyncIterator[Database]:
    """Another process's view of the same database: its own engine, so its own copy."""
    other = Database.from_url(database_url, pool_size=2)
    yield other
    await reference.forget(other)
    await other.dispose()


async def test_a_pool_change_on_one_instance_reaches_another_through_redis(
    db: Database, redis_settings: Settings, second_process_db: Database, settings: Settings
) -> None:
    # given two instances, as two worker processes, each with a warm copy
    s = await _shop_with_stock(db)
    token = await staff_token(db, settings)
    writing, reading = create_app(redis_settings, db), create_app(redis_settings, second_process_db)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=writing), base_url="http://a") as one,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=reading), base_url="http://b") as two,
    ):
        try:
            assert await _available(one) == 0
            assert await _available(two) == 0
            counter = StatementCounter()
            event.listen(second_process_db.engine.sync_engine, "before_cursor_execute", counter)
            try:
                assert await _available(two) == 0
                assert _reference_reads(counter.statements) == []
                # when the first instance changes the pool
                done = await gql(one, POOL_SET, {"ids": [s.loc(s.downtown)]}, token=token)
                assert done["data"]["channelStockPoolSet"]["userErrors"] == []
                # then the writer sees it at once and the other instance soon after
                assert await _available(one) == 3
                for _ in range(100):
                    if await _available(two) == 3:
                        break
                    await asyncio.sleep(0.05)
                assert await _available(two) == 3
                assert len(_reference_reads(counter.statements)) >= 1
            finally:
                event.remove(second_process_db.engine.sync_engine, "before_cursor_execute",
                             counter)  # fmt: skip
        finally:
            await writing.state.broker.close()
            await reading.state.broker.close()


async def test_an_instance_that_cannot_reach_redis_reads_reference_data_uncached(
    db: Database, settings: Settings, count_statements: StatementCounter
) -> None:
    # given an instance whose shared broker is unreachable
    await _shop_with_stock(db)
    unreachable = settings.model_copy(update={"redis_url": "redis://127.0.0.1:9"})
    application = create_app(unreachable, db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=application), base_url="http://test"
    ) as http:
        # when it answers twice
        count_statements.statements.clear()
        first = await _available(http)
        second = await _available(http)
    # then it answers right, reading channels and pools both times
    assert (first, second) == (0, 0)
    assert len(_reference_reads(count_statements.statements)) >= 4


async def test_a_copy_read_while_a_change_commits_is_not_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a load of the channels that read the table just before a change committed
    await create_channel(db, code="web")
    cache = reference.cache_for(db)
    cache.drop()
    read, go_on = asyncio.Event(), asyncio.Event()
    real = channel_repository.all_channels

    async def slow(database: Database) -> list[ChannelView]:
        rows = await real(database)
        read.set()
        await go_on.wait()
        return rows

    monkeypatch.setattr(channel_repository, "all_channels", slow)
    loading = asyncio.create_task(cache.channels())
    await read.wait()
    async with db.write() as uow:
        uow.session.add(Channel(code="app", name="App", kind="APP", currency_code="CAD",
                                default_locale="en"))  # fmt: skip
    cache.drop()
    go_on.set()
    stale = await loading
    monkeypatch.undo()
    # when the channels are asked again
    fresh = await cache.channels()
    # then the stale answer served its own caller only
    assert [c.code for c in stale.all()] == ["web"]
    assert [c.code for c in fresh.all()] == ["web", "app"]
