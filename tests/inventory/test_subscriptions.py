from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from app.config import Settings
from app.database import Database
from app.server import create_app
from tests.factories.auth import staff_token
from tests.graphql import gql
from tests.inventory.helpers import Shop, shop
from tests.inventory.ws import GraphQLWebSocket, wait_for_subscribers

REDIS_URL = "redis://127.0.0.1:6379"

SUBSCRIPTION = """
subscription($skus: [String!], $locationIds: [ID!]) {
  inventoryChanged(skus: $skus, locationIds: $locationIds) {
    sku locationCode onHand reserved available incoming
  }
}
"""

ADJUST = """
mutation($input: InventoryAdjustInput!) { inventoryAdjust(input: $input) { userErrors { code } } }
"""


async def _adjust(http: httpx.AsyncClient, token: str, s: Shop, sku: str, delta: int) -> None:
    body = await gql(
        http,
        ADJUST,
        {"input": {"locationId": s.loc(s.downtown), "sku": sku, "delta": delta, "reason": "test"}},
        token=token,
    )
    assert "errors" not in body, body


async def _close(*apps: Starlette) -> None:
    for application in apps:
        broker = getattr(application.state, "broker", None)
        if broker is not None:
            await broker.close()


@pytest.fixture
async def http_for() -> AsyncIterator[Any]:
    clients: list[httpx.AsyncClient] = []

    def make(application: Starlette) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://test"
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def test_subscribers_get_committed_changes_of_the_skus_they_asked_for(
    db: Database, settings: Settings, http_for: Any
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    application = create_app(settings, db)
    http = http_for(application)
    try:
        async with GraphQLWebSocket(application) as ws:
            await ws.subscribe(SUBSCRIPTION, {"skus": ["TEE-0"]})
            await wait_for_subscribers(application)
            # when: a change to another SKU, a refused change, then the one we want
            await _adjust(http, token, s, "TEE-1", 4)
            await _adjust(http, token, s, "TEE-0", -1)
            await _adjust(http, token, s, "TEE-0", 3)
            # then
            message = await ws.receive()
            assert message["type"] == "next"
            assert message["payload"]["data"]["inventoryChanged"] == {
                "sku": "TEE-0",
                "locationCode": "downtown",
                "onHand": 3,
                "reserved": 0,
                "available": 3,
                "incoming": 0,
            }
    finally:
        await _close(application)


async def test_subscribers_can_narrow_to_locations(
    db: Database, settings: Settings, http_for: Any
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    application = create_app(settings, db)
    http = http_for(application)
    try:
        async with GraphQLWebSocket(application) as ws:
            await ws.subscribe(SUBSCRIPTION, {"locationIds": [s.loc(s.plateau)]})
            await wait_for_subscribers(application)
            # when
            await _adjust(http, token, s, "TEE-0", 2)
            receipt = """mutation($input: InventoryReceiveInput!) {
              inventoryReceive(input: $input) { userErrors { code } } }"""
            await gql(
                http,
                receipt,
                {
                    "input": {
                        "locationId": s.loc(s.plateau),
                        "lines": [{"sku": "TEE-1", "quantity": 6}],
                    }
                },
                token=token,
            )
            # then
            data = (await ws.receive())["payload"]["data"]["inventoryChanged"]
            assert (data["sku"], data["locationCode"], data["onHand"]) == ("TEE-1", "plateau", 6)
    finally:
        await _close(application)


async def test_a_change_made_on_one_instance_reaches_subscribers_of_another_through_redis(
    db: Database, settings: Settings, http_for: Any
) -> None:
    # given: two app instances, as two worker processes would be, sharing one Redis
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError:
        pytest.skip("no Redis at " + REDIS_URL)
    finally:
        await redis.aclose()
    shared = settings.model_copy(
        update={"redis_url": REDIS_URL, "events_prefix": f"test-{uuid.uuid4().hex}"}
    )
    s = await shop(db)
    token = await staff_token(db, settings)
    listening, writing = create_app(shared, db), create_app(shared, db)
    try:
        async with GraphQLWebSocket(listening) as ws:
            await ws.subscribe(SUBSCRIPTION, {"skus": ["TEE-0"]})
            await wait_for_subscribers(listening)
            # when
            await _adjust(http_for(writing), token, s, "TEE-0", 5)
            # then
            message = await ws.receive()
            assert message["payload"]["data"]["inventoryChanged"]["onHand"] == 5
            assert listening.state.broker is not writing.state.broker
    finally:
        await _close(listening, writing)


async def test_a_subscription_with_a_bad_location_id_gets_an_error(
    db: Database, settings: Settings
) -> None:
    application = create_app(settings, db)
    async with GraphQLWebSocket(application) as ws:
        await ws.subscribe(SUBSCRIPTION, {"locationIds": ["nope"]})
        message = await ws.receive()
    assert message["type"] == "next"
    assert message["payload"]["errors"][0]["extensions"]["code"] == "INVALID_ID"
    await _close(application)
