"""Receiving a return at the store: restocked units sellable there at once, damaged ones
recorded; received once, whatever the retries and however many associates try."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.config import Settings
from app.database import Database
from app.inventory import repository as inventory_repository
from app.models.customer import CustomerEvent
from app.models.events import OutboxEvent
from app.models.inventory import InventoryMovement, MovementKind
from app.models.staff import StaffRole
from tests.factories.channels import create_location
from tests.factories.customers import quick_staff_token
from tests.graphql import gql
from tests.orders.test_fulfilment import _level
from tests.returns.helpers import RETURN_RECEIVE, Shop, receive, shipped_order, start_return


async def _two_mugs_back_at_the_store(shop: Shop) -> dict[str, Any]:
    return {
        "orderId": shop.order["id"], "locationId": shop.w.location(shop.w.store),
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 2}],
    }  # fmt: skip


async def _restocks(db: Database) -> list[tuple[int, int, str | None]]:
    async with db.write() as uow:
        rows = await uow.session.execute(
            select(InventoryMovement.location_id, InventoryMovement.quantity,
                   InventoryMovement.reference_id)
            .where(InventoryMovement.kind == MovementKind.RETURN_RESTOCK)
        )  # fmt: skip
        return [(r.location_id, r.quantity, r.reference_id) for r in rows]


async def test_a_web_order_returned_in_store_restocks_the_store(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: Ana brings both mugs of her shipped web order to the downtown store
    shop = await shipped_order(client, db, settings)
    started = await start_return(client, shop.customer, await _two_mugs_back_at_the_store(shop))
    ret = started["return"]
    mug = shop.line("MUG-0")
    lines = [{"lineId": mug, "quantity": 1, "disposition": "RESTOCK"},
             {"lineId": mug, "quantity": 1, "disposition": "DAMAGED"}]  # fmt: skip
    # when: the associate receives one sellable and one damaged
    done = await receive(client, shop.clerk, ret["id"], "rcv-1", lines)
    # then: one unit is sellable at the store at once, the damaged one is only recorded
    assert done["userErrors"] == []
    received = done["return"]
    assert received["status"] == "RECEIVED"
    assert received["receivedAt"] is not None
    assert [(ln["quantity"], ln["restocked"], ln["damaged"]) for ln in received["lines"]] == [
        (2, 1, 1)
    ]
    assert await _level(db, shop.w, "MUG-0", shop.w.store.id) == (1, 0)
    assert await _restocks(db) == [(shop.w.store.id, 1, ret["number"])]
    assert await inventory_repository.ledger_drift(db) == []
    async with db.write() as uow:
        events = (await uow.session.execute(
            select(OutboxEvent.name, OutboxEvent.payload).where(
                OutboxEvent.name == "return.received")
        )).all()  # fmt: skip
        timeline = (await uow.session.execute(
            select(CustomerEvent.kind, CustomerEvent.location_id).order_by(CustomerEvent.id)
        )).all()  # fmt: skip
    ((_, payload),) = events
    assert payload["number"] == ret["number"]
    assert payload["lines"][0]["restocked"] == 1
    assert ("RETURN_RECEIVED", shop.w.store.id) in [tuple(t) for t in timeline]
    # when: the same request is retried
    again = await receive(client, shop.clerk, ret["id"], "rcv-1", lines)
    # then: the same answer, nothing more restocked
    assert again == done
    assert await _level(db, shop.w, "MUG-0", shop.w.store.id) == (1, 0)
    # when: someone receives it again under another key
    other = await receive(client, shop.ops, ret["id"], "rcv-2", lines)
    # then
    assert [e["code"] for e in other["userErrors"]] == ["RETURN_ALREADY_RECEIVED"]
    assert await _restocks(db) == [(shop.w.store.id, 1, ret["number"])]


async def test_units_that_never_came_back_can_be_returned_later(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a return of two mugs of which only one arrives
    shop = await shipped_order(client, db, settings)
    ret = (await start_return(client, shop.customer, await _two_mugs_back_at_the_store(shop)))[
        "return"
    ]
    one = [{"lineId": shop.line("MUG-0"), "quantity": 1, "disposition": "RESTOCK"}]
    assert (await receive(client, shop.clerk, ret["id"], "k", one))["userErrors"] == []
    # when: the second mug is returned afterwards
    later = await start_return(client, shop.customer, {
        **(await _two_mugs_back_at_the_store(shop)),
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 1}],
    })  # fmt: skip
    # then
    assert later["userErrors"] == []


async def test_bad_receipts_are_refused_and_change_nothing(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    shop = await shipped_order(client, db, settings)
    ret = (await start_return(client, shop.customer, await _two_mugs_back_at_the_store(shop)))[
        "return"
    ]
    far = await create_location(db, code="uptown")
    far_clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="far@example.com", home_location_id=far.id
    )
    mug, tee = shop.line("MUG-0"), shop.line("TEE-0")
    cases = [
        (shop.clerk, [{"lineId": mug, "quantity": 3, "disposition": "RESTOCK"}],
         ("QUANTITY_NOT_RETURNABLE", "lines.0.quantity")),
        (shop.clerk, [{"lineId": mug, "quantity": 2, "disposition": "RESTOCK"},
                      {"lineId": mug, "quantity": 1, "disposition": "DAMAGED"}],
         ("QUANTITY_NOT_RETURNABLE", "lines.1.quantity")),
        (shop.clerk, [{"lineId": tee, "quantity": 1, "disposition": "RESTOCK"}],
         ("QUANTITY_NOT_RETURNABLE", "lines.0.lineId")),
        (shop.clerk, [], ("RETURN_LINES_REQUIRED", "lines")),
        (far_clerk, [{"lineId": mug, "quantity": 1, "disposition": "RESTOCK"}],
         ("FORBIDDEN", "returnId")),
    ]  # fmt: skip
    for token, lines, expected in cases:
        # when
        refused = await receive(client, token, ret["id"], "bad", lines)
        # then
        codes = [(e["code"], ".".join(e["field"])) for e in refused["userErrors"]]
        assert codes == [expected], lines
        assert refused["return"] is None
    assert await _restocks(db) == []
    assert await _level(db, shop.w, "MUG-0", shop.w.store.id) == (0, 0)
    # when: a customer tries
    body = await gql(client, RETURN_RECEIVE, {"input": {
        "returnId": ret["id"], "idempotencyKey": "x",
        "lines": [{"lineId": mug, "quantity": 1, "disposition": "RESTOCK"}]}},
        token=shop.customer)  # fmt: skip
    # then
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.postgres_only
async def test_two_associates_receiving_one_return_at_once_restock_it_once(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    shop = await shipped_order(client, db, settings)
    ret = (await start_return(client, shop.customer, await _two_mugs_back_at_the_store(shop)))[
        "return"
    ]
    lines = [{"lineId": shop.line("MUG-0"), "quantity": 2, "disposition": "RESTOCK"}]
    # when: the store associate and operations receive it at the same moment
    answers = await asyncio.gather(
        *[receive(client, token, ret["id"], f"race-{i}", lines)
          for i, token in enumerate([shop.clerk, shop.ops] * 4)]
    )  # fmt: skip
    # then: one receipt, the others are told it is done
    ok = [a for a in answers if not a["userErrors"]]
    assert len(ok) == 1
    assert {e["code"] for a in answers for e in a["userErrors"]} == {"RETURN_ALREADY_RECEIVED"}
    assert await _level(db, shop.w, "MUG-0", shop.w.store.id) == (2, 0)
    assert len(await _restocks(db)) == 1
    assert await inventory_repository.ledger_drift(db) == []
