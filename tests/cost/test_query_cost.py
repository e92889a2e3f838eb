"""Query cost: priced before execution, refused above the maximum, charged to a bucket."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from redis.asyncio import Redis

from app.config import Settings
from app.database import Database
from app.kit.leaky_bucket import MemoryBucket, RedisBucket
from app.server import create_app
from tests.conftest import StatementCounter
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.factories.customers import partner_key
from tests.graphql import error_codes, gql
from tests.inventory.ws import GraphQLWebSocket

PAGE = "{ products(first: 10) { edges { node { id title } } } }"
INTROSPECT = "{ __schema { queryType { name } } }"


def fifty_aliases() -> str:
    fields = " ".join(
        f"a{i}: products(first: 250) {{ edges {{ node {{ id }} }} }}" for i in range(50)
    )
    return "{ " + fields + " }"


async def test_every_response_reports_its_cost_and_the_bucket(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_channel(db, code="web")
    # when
    body = await gql(client, PAGE)
    # then a connection of 10 costs 1, plus 10 edges and 10 nodes; the empty answer cost 1
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 21
    assert cost["actualQueryCost"] == 1
    status = cost["throttleStatus"]
    assert (status["maximumAvailable"], status["restoreRate"]) == (20_000, 1_000)
    # the bucket refills at 1,000 points a second meanwhile
    assert 19_999 <= status["currentlyAvailable"] <= 20_000


async def test_a_query_over_the_maximum_cost_is_refused_before_any_sql(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # when fifty aliases of a full page are asked for
    body = await gql(client, fifty_aliases())
    # then
    assert error_codes(body) == ["MAX_COST_EXCEEDED"]
    error = body["errors"][0]["extensions"]
    assert error["cost"] == 50 * (1 + 250 * 2)
    assert error["maximumCost"] == 10_000
    assert "data" not in body
    assert count_statements.count == 0


async def test_page_size_arguments_and_variables_price_the_same(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db, code="web")
    query = "query($n: Int) { products(first: $n) { edges { node { id } } } }"
    by_variable = await gql(client, query, {"n": 100})
    default_page = await gql(client, "{ products { edges { node { id } } } }")
    assert by_variable["extensions"]["cost"]["requestedQueryCost"] == 1 + 100 * 2
    assert default_page["extensions"]["cost"]["requestedQueryCost"] == 1 + 50 * 2


async def test_a_partner_key_with_a_small_budget_is_throttled_then_restored(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given a budget that holds one full page of 10 at a time, refilled slowly
    await _ten_products(db)
    settings.cost_restore_rate = 1
    key = await partner_key(db, cost_budget=40)
    headers = {"X-Api-Key": key}
    # when
    first = await gql(client, PAGE, headers=headers)
    second = await gql(client, PAGE, headers=headers)
    # then
    assert len(first["data"]["products"]["edges"]) == 10
    assert first["extensions"]["cost"]["actualQueryCost"] == 21
    assert first["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 40
    assert error_codes(second) == ["THROTTLED"]
    assert second["errors"][0]["extensions"]["cost"] == 21


async def _ten_products(db: Database) -> None:
    web = await create_channel(db, code="web")
    for n in range(10):
        await create_product(db, handle=f"p{n}", channel_ids=[web.id], variants=1)


async def test_anonymous_callers_share_a_bucket_per_address(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    await _ten_products(db)
    settings.cost_bucket_size = 25
    settings.cost_restore_rate = 1
    assert "errors" not in await gql(client, PAGE)
    assert error_codes(await gql(client, PAGE)) == ["THROTTLED"]


async def test_graphql_response_clients_get_429_when_throttled(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    await _ten_products(db)
    settings.cost_bucket_size = 25
    settings.cost_restore_rate = 1
    headers = {"Accept": "application/graphql-response+json"}
    await client.post("/graphql", json={"query": PAGE}, headers=headers)
    response = await client.post("/graphql", json={"query": PAGE}, headers=headers)
    assert response.status_code == 429


async def test_introspection_can_be_switched_off_for_partners_only(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    settings.introspection_disabled_for = ["PARTNER"]
    key = await partner_key(db)
    staff = await staff_token(db, settings)
    # when
    partner = await gql(client, INTROSPECT, headers={"X-Api-Key": key})
    anonymous = await gql(client, INTROSPECT)
    member = await gql(client, INTROSPECT, token=staff)
    # then GraphiQL (anonymous or staff) keeps its schema
    assert error_codes(partner) == ["INTROSPECTION_DISABLED"]
    assert anonymous["data"]["__schema"]["queryType"]["name"] == "Query"
    assert member["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_memory_bucket_refuses_past_capacity_and_refunds() -> None:
    bucket = MemoryBucket()
    assert (await bucket.take("k", 60, 100, 0)).allowed
    assert not (await bucket.take("k", 60, 100, 0)).allowed
    assert await bucket.refund("k", 30, 100, 0) == 70
    assert (await bucket.take("k", 60, 100, 0)).allowed


async def test_redis_bucket_is_atomic_under_concurrent_requests() -> None:
    # given one bucket of 100 points that does not refill
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    prefix = f"omnigraph-test-{uuid.uuid4().hex[:8]}"
    bucket = RedisBucket(redis, prefix)
    try:
        # when 30 requests of 10 points race for it
        states = await asyncio.gather(*(bucket.take("partner:1", 10, 100, 0) for _ in range(30)))
        # then exactly ten fit
        assert sum(s.allowed for s in states) == 10
        assert await bucket.refund("partner:1", 25, 100, 0) == pytest.approx(25)
    finally:
        await redis.delete(f"{prefix}:cost:partner:1")
        await redis.aclose()


async def test_fragments_spread_many_times_are_priced_quickly(client: httpx.AsyncClient) -> None:
    # given fragments that would be walked 2^20 times without memoisation
    fragments = ["fragment F0 on Channel { code }"]
    for n in range(1, 21):
        fragments.append(f"fragment F{n} on Channel {{ ...F{n - 1} ...F{n - 1} }}")
    document = "{ channels { ...F20 } } " + " ".join(fragments)
    # when
    body = await gql(client, document)
    # then
    assert body["extensions"]["cost"]["requestedQueryCost"] == 10


async def test_subscriptions_are_priced_and_bounded_too(db: Database, settings: Settings) -> None:
    # given a maximum below any subscription's price
    settings.query_cost_max = 0
    application = create_app(settings, db)
    # when
    try:
        async with GraphQLWebSocket(application) as ws:
            await ws.subscribe("subscription { inventoryChanged { sku } }", {})
            answer = await ws.receive()
    finally:
        await application.state.broker.close()
    # then
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


async def test_depth_is_bounded_through_fragments_too(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    settings.query_depth_max = 3
    deep = "{ products { edges { node { ...V } } } } fragment V on Product { variants { sku } }"
    body = await gql(client, deep)
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "maximum operation depth of 3" in body["errors"][0]["message"]


async def test_workers_share_a_partners_bucket_through_redis(
    db: Database, database_url: str
) -> None:
    # given two workers on one Redis, and a key whose budget holds one full page
    await _ten_products(db)
    prefix = f"omnigraph-test-{uuid.uuid4().hex[:8]}"
    shared = Settings(database_url=database_url, redis_url="redis://127.0.0.1:6379/0",
                      events_prefix=prefix, cost_restore_rate=1)  # fmt: skip
    key = await partner_key(db, cost_budget=40)
    first, second = create_app(shared, db), create_app(shared, db)
    try:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://a") as a,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://b") as b,
        ):
            # when the key spends its budget on one worker
            spent = await gql(a, PAGE, headers={"X-Api-Key": key})
            elsewhere = await gql(b, PAGE, headers={"X-Api-Key": key})
    finally:
        redis = first.state.redis
        await redis.delete(*[k async for k in redis.scan_iter(f"{prefix}:*")])
        for application in (first, second):
            await application.state.broker.close()
    # then the other worker knows
    assert "errors" not in spent
    assert error_codes(elsewhere) == ["THROTTLED"]


async def test_list_sizes_come_from_ids_and_argument_defaults(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db, code="web")
    ids = '["UHJvZHVjdDox", "UHJvZHVjdDoy", "UHJvZHVjdDoz"]'
    nodes = await gql(client, f"{{ nodes(ids: {ids}) {{ id }} }}")
    empty_page = await gql(client, "{ products(first: 0) { edges { node { id } } } }")
    assert nodes["extensions"]["cost"]["requestedQueryCost"] == 3
    assert empty_page["extensions"]["cost"]["requestedQueryCost"] == 1


async def test_a_variable_left_out_is_priced_at_its_declared_default(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db, code="web")
    query = "query Q($n: Int = 250) { products(first: $n) { nodes { variants { id } } } }"
    left_out = await gql(client, query)
    sent_null = await gql(client, query, {"n": None})
    # a connection of 250 products, each with its 5 variants priced as objects
    assert left_out["extensions"]["cost"]["requestedQueryCost"] == 1 + 250 * (1 + 5)
    # an explicit null is no page size: the field's default of 50 applies
    assert sent_null["extensions"]["cost"]["requestedQueryCost"] == 1 + 50 * (1 + 5)


async def test_cart_lines_and_warnings_are_priced_at_the_cart_line_cap(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given two aliased carts, each line with its variant's pickup availability
    await create_channel(db, code="web")
    cart = """{
      lines { id merchandise { id pickupAvailability(near: {latitude: 0, longitude: 0}) {
        available location { id } } } }
      warnings { code }
    }"""
    query = f'{{ a: cart(id: "Y2FydDox") {cart} b: cart(id: "Y2FydDoy") {cart} }}'
    # when
    body = await gql(client, query)
    categories = await gql(client, "{ categories { id } }")
    # then each cart is priced at cart_lines_max lines and warnings, over the maximum
    per_line = 1 + 1 + 10 * (2 + 1)
    per_cart = 1 + settings.cart_lines_max * per_line + settings.cart_lines_max
    assert error_codes(body) == ["MAX_COST_EXCEEDED"]
    assert body["errors"][0]["extensions"]["cost"] == 2 * per_cart
    assert categories["extensions"]["cost"]["requestedQueryCost"] == 100
