"""A failing send is one delivery's failed attempt: bad addresses, slow receivers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
from tests.webhooks.receiver import Receiver, receiver

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


@asynccontextmanager
async def trickling() -> AsyncIterator[Receiver]:
    """An endpoint that answers one byte every 0.1 s: each read is quick, the whole is slow."""
    endpoint = Receiver()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )  # fmt: skip
        await reader.readexactly(length)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\nConnection: close\r\n\r\n")
        try:
            for _ in range(40):
                await writer.drain()
                await asyncio.sleep(0.1)
                writer.write(b"x")
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    endpoint.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hooks"
    try:
        yield endpoint
    finally:
        server.close()
        await server.wait_closed()


async def test_a_receiver_trickling_its_answer_times_out_as_a_whole(
    client: httpx.AsyncClient, db: Database, admin: str, dispatcher: Dispatcher,
    settings: Settings,
) -> None:  # fmt: skip
    # given a receiver whose answer takes 4 s, each byte within the per-read timeout
    settings.webhook_timeout_seconds = 0.5
    location = await _shelf(db)
    async with trickling() as slow:
        await _subscribe(client, admin, slow.url)
        await gql(client, ADJUST, {"location": location}, token=admin)
        # when
        started = time.monotonic()
        await dispatcher.run_once()
        elapsed = time.monotonic() - started
    # then the attempt ended at the bound and is a failed attempt
    assert elapsed < 2.5
    [delivery] = await _deliveries(db)
    assert (delivery.status, delivery.attempts) == ("PENDING", 1)
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("Timeout")
