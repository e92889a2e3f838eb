"""A failing send is one delivery's failed attempt, whatever the client raised."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select, update

from app.config import Settings
from app.database import Database
from app.models.events import WebhookDelivery, WebhookSubscription
from app.webhooks.dispatcher import Dispatcher
from schema.relay import from_global_id, to_global_id
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location
from tests.graphql import gql
from tests.webhooks.receiver import receiver

SUBSCRIBE = """
mutation($url: String!) {
  webhookSubscriptionCreate(input: {url: $url, events: ["inventory.changed"]}) {
    subscription { id } userErrors { code field }
  }
}
"""
ADJUST = """
mutation($location: ID!) {
  inventoryAdjust(input: {locationId: $location, sku: "TRAIL-RUNNER-0", delta: 1,
                          reason: "found"}) { userErrors { code } }
}
"""


@pytest.fixture
async def admin(db: Database, settings: Settings) -> str:
    return await staff_token(db, settings)


@pytest.fixture
async def dispatcher(db: Database, settings: Settings) -> AsyncIterator[Dispatcher]:
    settings.webhook_backoff_base_seconds = 0
    running = Dispatcher(db, settings)
    yield running
    await running.close()


async def _shelf(db: Database) -> str:
    await create_channel(db, code="web")
    await create_product(db, handle="trail-runner", variants=1)
    location = await create_location(db, code="wh-1")
    return to_global_id("Location", location.id)


async def _subscribe(client: httpx.AsyncClient, admin: str, url: str) -> int:
    body = await gql(client, SUBSCRIBE, {"url": url}, token=admin)
    created = body["data"]["webhookSubscriptionCreate"]
    assert created["userErrors"] == []
    return int(from_global_id(created["subscription"]["id"])[1])


async def _deliveries(db: Database) -> list[WebhookDelivery]:
    async with db.sessionmaker() as session:
        rows = await session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id))
        return list(rows.scalars())


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://host:abc/hook", "http://host:99999/hook", "https:///hook"]
)
async def test_addresses_the_http_client_refuses_are_refused_on_subscription(
    client: httpx.AsyncClient, admin: str, url: str
) -> None:
    body = await gql(client, SUBSCRIBE, {"url": url}, token=admin)
    assert "errors" not in body
    [error] = body["data"]["webhookSubscriptionCreate"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_URL", ["url"])


async def test_an_unsendable_address_fails_its_own_delivery_and_not_the_batch(
    client: httpx.AsyncClient, db: Database, admin: str, dispatcher: Dispatcher
) -> None:
    # given two endpoints, one of whose address became unusable after it was registered
    location = await _shelf(db)
    async with receiver() as good:
        await _subscribe(client, admin, good.url)
        broken = await _subscribe(client, admin, "http://127.0.0.1:9/hook")
        async with db.write() as uow:
            await uow.session.execute(
                update(WebhookSubscription)
                .where(WebhookSubscription.id == broken)
                .values(url="http://127.0.0.1:abc/hook")
            )
        await gql(client, ADJUST, {"location": location}, token=admin)
        # when
        await dispatcher.run_once()
        await dispatcher.run_once()
    # then the good endpoint got its event once, and the broken one's attempt counts
    assert len(good.received) == 1
    by_subscription = {d.subscription_id: d for d in await _deliveries(db)}
    assert by_subscription[broken].attempts == 2
    assert by_subscription[broken].last_error is not None
    assert "InvalidURL" in by_subscription[broken].last_error
    assert by_subscription[broken].status == "PENDING"
    assert by_subscription[broken].leased_until is None
