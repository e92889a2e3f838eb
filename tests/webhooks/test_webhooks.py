"""Webhooks end to end: outbox rows written with the change, a dispatcher, a real receiver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app import cli
from app.config import Settings
from app.database import Database
from app.events import outbox
from app.kit.clock import utcnow
from app.models.events import OutboxEvent, WebhookDelivery
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.retention import prune_outbox
from app.webhooks.signing import verify
from schema.relay import from_global_id, to_global_id
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location
from tests.graphql import gql
from tests.webhooks.receiver import Receiver, receiver

SUBSCRIBE = """
mutation($url: String!, $events: [String!]!) {
  webhookSubscriptionCreate(input: {url: $url, events: $events}) {
    subscription { id events active } secret userErrors { code field }
  }
}
"""
ADJUST = """
mutation($location: ID!, $delta: Int!) {
  inventoryAdjust(input: {locationId: $location, sku: "TRAIL-RUNNER-0", delta: $delta,
                          reason: "found"}) { userErrors { code } }
}
"""
DELIVERIES = """
query($status: WebhookDeliveryStatus) {
  webhookDeliveries(status: $status, first: 10) {
    totalCount
    nodes { id eventId eventType sequence status attempts lastStatusCode lastError }
  }
}
"""
REPLAY = "mutation($id: ID!) { webhookDeliveryReplay(id: $id) { deliveryId userErrors { code } } }"
REGISTER = """
mutation { customerRegister(input: {email: "ana@example.com", password: "long-enough-pw"}) {
  customer { id } userErrors { code } } }
"""


@pytest.fixture
async def endpoint() -> AsyncIterator[Receiver]:
    async with receiver() as running:
        yield running


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


async def _subscribe(
    client: httpx.AsyncClient, admin: str, url: str, events: list[str]
) -> dict[str, Any]:
    body = await gql(client, SUBSCRIBE, {"url": url, "events": events}, token=admin)
    created: dict[str, Any] = body["data"]["webhookSubscriptionCreate"]
    assert created["userErrors"] == []
    return created


async def _drain(dispatcher: Dispatcher) -> None:
    for _ in range(20):
        if not await dispatcher.run_once():
            return


async def test_a_stock_change_reaches_the_endpoint_signed_and_identified(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    # given
    location = await _shelf(db)
    created = await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    # when
    await gql(client, ADJUST, {"location": location, "delta": 4}, token=admin)
    await _drain(dispatcher)
    # then
    [request] = endpoint.received
    assert verify(created["secret"], request.headers["x-omnigraph-signature"], request.body)
    assert not verify("whsec_other", request.headers["x-omnigraph-signature"], request.body)
    event = request.json
    assert event["type"] == "inventory.changed"
    assert event["sequence"] == 1
    assert event["data"]["sku"] == "TRAIL-RUNNER-0"
    assert event["data"]["on_hand"] == 4
    assert request.headers["x-omnigraph-event-id"] == event["id"]
    deliveries = await gql(client, DELIVERIES, {"status": "DELIVERED"}, token=admin)
    [delivery] = deliveries["data"]["webhookDeliveries"]["nodes"]
    assert (delivery["eventId"], delivery["attempts"]) == (event["id"], 1)


async def test_an_aggregates_events_arrive_in_order_even_when_the_first_fails(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    # given three changes of one stock level, and an endpoint that fails once
    location = await _shelf(db)
    await _subscribe(client, admin, endpoint.url, ["*"])
    for delta in (1, 2, 3):
        await gql(client, ADJUST, {"location": location, "delta": delta}, token=admin)
    endpoint.statuses = [500]
    # when
    await dispatcher.run_once()
    after_failure = [r.json["sequence"] for r in endpoint.received]
    await _drain(dispatcher)
    # then the later events waited for the first to get through
    assert after_failure == [1]
    assert [r.json["sequence"] for r in endpoint.received] == [1, 1, 2, 3]
    assert [r.json["data"]["on_hand"] for r in endpoint.received] == [1, 1, 3, 6]
    assert len({r.json["id"] for r in endpoint.received}) == 3


async def test_failing_deliveries_back_off_then_die_and_staff_replay_them(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher, settings: Settings,
) -> None:  # fmt: skip
    # given an endpoint that keeps failing, and three attempts allowed
    settings.webhook_max_attempts = 3
    location = await _shelf(db)
    await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    await gql(client, ADJUST, {"location": location, "delta": 2}, token=admin)
    endpoint.statuses = [500, 503, 500]
    # when
    await _drain(dispatcher)
    dead = await gql(client, DELIVERIES, {"status": "DEAD"}, token=admin)
    [delivery] = dead["data"]["webhookDeliveries"]["nodes"]
    replayed = await gql(client, REPLAY, {"id": delivery["id"]}, token=admin)
    await _drain(dispatcher)
    # then
    assert (delivery["attempts"], delivery["lastStatusCode"]) == (3, 500)
    assert replayed["data"]["webhookDeliveryReplay"]["userErrors"] == []
    assert len(endpoint.received) == 4
    assert len({r.json["id"] for r in endpoint.received}) == 1
    delivered = await gql(client, DELIVERIES, {"status": "DELIVERED"}, token=admin)
    assert delivered["data"]["webhookDeliveries"]["totalCount"] == 1


async def test_retries_wait_exponentially_longer(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    settings: Settings,
) -> None:  # fmt: skip
    # given a real backoff
    settings.webhook_backoff_base_seconds = 60
    dispatcher = Dispatcher(db, settings)
    location = await _shelf(db)
    await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    await gql(client, ADJUST, {"location": location, "delta": 2}, token=admin)
    endpoint.statuses = [500]
    # when
    await _drain(dispatcher)
    await dispatcher.close()
    # then the failed attempt is not retried at once
    assert len(endpoint.received) == 1
    pending = await gql(client, DELIVERIES, {"status": "PENDING"}, token=admin)
    assert pending["data"]["webhookDeliveries"]["nodes"][0]["lastError"] == "HTTP 500"


async def test_a_rolled_back_transaction_emits_nothing(db: Database) -> None:
    async def failing_change() -> None:
        async with db.write() as uow:
            await outbox.emit(uow.session, "customer.created", aggregate_id=1, data={})
            raise RuntimeError("the change failed after the event was written")

    # when
    with pytest.raises(RuntimeError):
        await failing_change()
    # then
    async with db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(OutboxEvent))).scalar() == 0


async def test_a_refused_stock_change_emits_nothing(
    client: httpx.AsyncClient, db: Database, admin: str
) -> None:
    location = await _shelf(db)
    body = await gql(client, ADJUST, {"location": location, "delta": -5}, token=admin)
    assert body["data"]["inventoryAdjust"]["userErrors"] == [{"code": "INSUFFICIENT_STOCK"}]
    async with db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(OutboxEvent))).scalar() == 0


async def test_registration_emits_customer_created(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    await _subscribe(client, admin, endpoint.url, ["customer.created", "customer.merged"])
    registered = await gql(client, REGISTER)
    assert registered["data"]["customerRegister"]["userErrors"] == []
    await _drain(dispatcher)
    [request] = endpoint.received
    assert request.json["type"] == "customer.created"
    assert request.json["data"]["source"] == "REGISTERED"
    assert request.json["aggregate"]["type"] == "Customer"


async def test_unknown_events_and_bad_urls_are_user_errors(
    client: httpx.AsyncClient, db: Database, admin: str
) -> None:
    bad_event = await gql(client, SUBSCRIBE, {"url": "https://x.example/h", "events": ["x.y"]},
                          token=admin)  # fmt: skip
    bad_url = await gql(client, SUBSCRIBE, {"url": "ftp://x", "events": ["*"]}, token=admin)
    assert bad_event["data"]["webhookSubscriptionCreate"]["userErrors"][0]["code"] == (
        "UNKNOWN_EVENT"
    )
    assert bad_url["data"]["webhookSubscriptionCreate"]["userErrors"][0]["code"] == "INVALID_URL"


@pytest.mark.postgres_only
async def test_concurrent_changes_of_one_aggregate_get_distinct_sequence_numbers(
    db: Database,
) -> None:
    async def one() -> None:
        async with db.write() as uow:
            await outbox.emit(uow.session, "order.created", aggregate_id=7, data={})

    await asyncio.gather(*(one() for _ in range(10)))
    async with db.read() as conn:
        rows = await conn.execute(select(OutboxEvent.sequence).order_by(OutboxEvent.sequence))
        assert list(rows.scalars()) == list(range(1, 11))


async def test_the_dispatcher_command_delivers_what_is_due(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # given
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    location = await _shelf(db)
    await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    await gql(client, ADJUST, {"location": location, "delta": 5}, token=admin)
    # when the command runs in its own event loop, as from a shell
    status = await asyncio.to_thread(cli.main, ["webhooks", "run", "--once"])
    # then
    assert status == 0
    assert [r.json["data"]["on_hand"] for r in endpoint.received] == [5]


async def test_settled_events_are_pruned_and_pending_ones_kept(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    # given one delivered event and one still failing
    location = await _shelf(db)
    await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    await gql(client, ADJUST, {"location": location, "delta": 1}, token=admin)
    await _drain(dispatcher)
    await gql(client, ADJUST, {"location": location, "delta": 1}, token=admin)
    endpoint.statuses = [500]
    await dispatcher.run_once()
    # when
    removed = await prune_outbox(db, timedelta(seconds=-1))
    # then
    assert removed == 1
    async with db.read() as conn:
        left = list((await conn.execute(select(OutboxEvent.sequence))).scalars())
    assert left == [2]


async def test_a_later_event_waits_for_an_earlier_one_another_dispatcher_has_not_fanned_out(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    # given two events of one customer, of which only the second has been fanned out
    created = await _subscribe(client, admin, endpoint.url, ["*"])
    subscription_id = int(from_global_id(created["subscription"]["id"])[1])
    async with db.write() as uow:
        await outbox.emit(uow.session, "customer.created", aggregate_id=9, data={})
        second = await outbox.emit(uow.session, "customer.merged", aggregate_id=9, data={})
        await uow.session.flush()
        second.fanned_out_at = utcnow()
        uow.session.add(WebhookDelivery(
            subscription_id=subscription_id, event_id=second.id, aggregate_type="Customer",
            aggregate_id="9", sequence=2,
        ))  # fmt: skip
    # when
    early = await dispatcher.deliver_due()
    await _drain(dispatcher)
    # then
    assert early == 0
    assert [r.json["sequence"] for r in endpoint.received] == [1, 2]


async def test_a_deactivated_subscription_gets_none_of_its_pending_deliveries(
    client: httpx.AsyncClient, db: Database, admin: str, endpoint: Receiver,
    dispatcher: Dispatcher,
) -> None:  # fmt: skip
    # given a delivery that failed once, then its subscription deactivated
    location = await _shelf(db)
    created = await _subscribe(client, admin, endpoint.url, ["inventory.changed"])
    await gql(client, ADJUST, {"location": location, "delta": 1}, token=admin)
    endpoint.statuses = [500]
    await dispatcher.run_once()
    deactivate = (
        "mutation($id: ID!) { webhookSubscriptionDeactivate(id: $id) { userErrors { code } } }"
    )
    body = await gql(client, deactivate, {"id": created["subscription"]["id"]}, token=admin)
    assert body["data"]["webhookSubscriptionDeactivate"]["userErrors"] == []
    # when
    await _drain(dispatcher)
    # then only the attempt made before the deactivation reached the endpoint
    assert len(endpoint.received) == 1
    pending = await gql(client, DELIVERIES, {"status": "PENDING"}, token=admin)
    [delivery] = pending["data"]["webhookDeliveries"]["nodes"]
    assert delivery["attempts"] == 1
