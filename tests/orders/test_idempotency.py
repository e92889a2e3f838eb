"""The same idempotency key places one order and charges once, even while the first request
is still running; the same key with another request is refused."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from app.database import Database
from app.models.order import Order, Payment
from tests.factories.carts import world
from tests.orders.documents import MONTREAL, cart_with, checkout


async def _counts(db: Database) -> tuple[int, int]:
    async with db.write() as uow:
        orders = (await uow.session.execute(select(func.count(Order.id)))).scalar_one()
        payments = (await uow.session.execute(select(func.count(Payment.id)))).scalar_one()
    return int(orders), int(payments)


async def test_a_retry_with_the_same_key_returns_the_same_order(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    first = await checkout(client, cart_id, "same-key")
    # when
    again = await checkout(client, cart_id, "same-key")
    # then
    assert again == first
    assert await _counts(db) == (1, 1)


async def test_the_same_key_with_another_request_is_refused(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    other_cart = await cart_with(client, [(w.variant("MUG-0"), 1)], ship_to=MONTREAL)
    await checkout(client, cart_id, "key-a")
    # when
    other_card = await checkout(client, cart_id, "key-a", card="tok_mastercard")
    other_body = await checkout(client, other_cart, "key-a")
    # then
    for answer in (other_card, other_body):
        assert answer["order"] is None
        assert [e["code"] for e in answer["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await _counts(db) == (1, 1)


@pytest.mark.postgres_only
async def test_concurrent_requests_with_one_key_place_one_order(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 3)], ship_to=MONTREAL)
    # when: the same request sent eight times at once (a client retrying impatiently)
    answers = await asyncio.gather(*[checkout(client, cart_id, "burst") for _ in range(8)])
    # then
    assert all(a["userErrors"] == [] for a in answers), answers
    assert len({a["order"]["id"] for a in answers}) == 1
    assert await _counts(db) == (1, 1)
