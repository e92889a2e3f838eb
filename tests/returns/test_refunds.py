"""Refunds of received returns: from the price snapshot, to the original payment or as store
credit, partial, never more than was paid, once per idempotency key."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.database import Database
from app.models.order import Payment, PaymentStatus
from app.models.returns import Refund
from app.payments.gateway import gateway_for
from tests.returns.helpers import Shop, receive, refund, shipped_order, start_return


def _cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


def _line_total(shop: Shop, sku: str) -> int:
    line = next(ln for ln in shop.order["lines"] if ln["sku"] == sku)
    return _cents(line["total"]["amount"]) + _cents(line["tax"]["amount"])


async def _received(shop: Shop, client: httpx.AsyncClient, lines: list[tuple[str, int]]) -> str:
    started = await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": shop.w.location(shop.w.store),
        "lines": [{"lineId": shop.line(sku), "quantity": q} for sku, q in lines],
    })  # fmt: skip
    return_id: str = started["return"]["id"]
    got = await receive(client, shop.clerk, return_id, f"rcv-{return_id}", [
        {"lineId": shop.line(sku), "quantity": q, "disposition": "RESTOCK"} for sku, q in lines
    ])  # fmt: skip
    assert got["userErrors"] == [], got
    return return_id


async def _payment(db: Database) -> Payment:
    async with db.write() as uow:
        (payment,) = (await uow.session.execute(select(Payment))).scalars()
        return payment


async def test_a_partial_then_the_rest_reach_the_card_and_no_more(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: one of Ana's two mugs is back at the store
    shop = await shipped_order(client, db, settings)
    return_id = await _received(shop, client, [("MUG-0", 1)])
    one_mug = _line_total(shop, "MUG-0") // 2
    payment = await _payment(db)
    refunded_before = gateway_for("test").refunded.get(payment.reference, 0)
    # when: 5.00 is refunded first
    first = await refund(client, shop.clerk, return_id, "ref-1", amount="5.00")
    # then: it went back to the card
    assert first["userErrors"] == []
    assert first["refund"]["amount"]["amount"] == "5.00"
    assert first["refund"]["method"] == "ORIGINAL_PAYMENT"
    assert [p["amount"]["amount"] for p in first["refund"]["payments"]] == ["5.00"]
    assert gateway_for("test").refunded[payment.reference] - refunded_before == 500
    # when: the same request is retried, then another body under the same key
    again = await refund(client, shop.clerk, return_id, "ref-1", amount="5.00")
    reused = await refund(client, shop.clerk, return_id, "ref-1", amount="6.00")
    # then
    assert again == first
    assert [e["code"] for e in reused["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    # when: the rest is refunded, then more is asked for
    rest = await refund(client, shop.clerk, return_id, "ref-2")
    more = await refund(client, shop.clerk, return_id, "ref-3", amount="0.01")
    # then: the mug's share of the line (with its tax) exactly, shipping not included
    assert _cents(rest["refund"]["amount"]["amount"]) == one_mug - 500
    assert rest["refund"]["shipping"]["amount"] == "0.00"
    assert [e["code"] for e in more["userErrors"]] == ["REFUND_EXCEEDS_REFUNDABLE"]
    assert gateway_for("test").refunded[payment.reference] - refunded_before == one_mug
    assert (await _payment(db)).status is PaymentStatus.CAPTURED


async def test_returning_everything_refunds_the_whole_order_with_shipping(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: everything came back
    shop = await shipped_order(client, db, settings)
    return_id = await _received(shop, client, [("MUG-0", 2), ("TEE-0", 1)])
    # when
    done = await refund(client, shop.clerk, return_id, "all")
    # then: exactly what was paid, shipping included; the payment is fully refunded
    assert done["userErrors"] == []
    assert done["refund"]["amount"] == shop.order["cost"]["total"]
    lines = _line_total(shop, "MUG-0") + _line_total(shop, "TEE-0")
    shipping_with_tax = _cents(shop.order["cost"]["total"]["amount"]) - lines
    assert _cents(done["refund"]["shipping"]["amount"]) == shipping_with_tax
    assert (await _payment(db)).status is PaymentStatus.REFUNDED
    again = await refund(client, shop.clerk, return_id, "all-again")
    assert [e["code"] for e in again["userErrors"]] == ["REFUND_EXCEEDS_REFUNDABLE"]


async def test_store_credit_and_refusals(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    shop = await shipped_order(client, db, settings)
    return_id = await _received(shop, client, [("TEE-0", 1)])
    pending = (await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": shop.w.location(shop.w.store),
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 1}],
    }))["return"]["id"]  # fmt: skip
    # when / then: refusals write nothing
    for rid, fields, code in [
        (pending, {}, "RETURN_NOT_RECEIVED"),
        (return_id, {"amount": "0"}, "INVALID_REFUND_AMOUNT"),
        (return_id, {"amount": "1.001"}, "INVALID_AMOUNT"),
        (return_id, {"amount": "1000.00"}, "REFUND_EXCEEDS_REFUNDABLE"),
    ]:
        refused = await refund(client, shop.clerk, rid, f"bad-{code}", **fields)
        assert [e["code"] for e in refused["userErrors"]] == [code]
        assert refused["refund"] is None
    # when: refunded as store credit
    credit = await refund(client, shop.clerk, return_id, "sc", method="STORE_CREDIT")
    # then: a credit note, the card untouched
    assert credit["userErrors"] == []
    assert credit["refund"]["creditNote"].startswith("SC-")
    assert credit["refund"]["payments"] == []
    assert (await _payment(db)).status is PaymentStatus.CAPTURED


@pytest.mark.postgres_only
async def test_concurrent_refunds_never_pay_back_more_than_once(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a received return
    shop = await shipped_order(client, db, settings)
    return_id = await _received(shop, client, [("TEE-0", 1)])
    # when: the same refund is retried at once, and others are asked for at the same moment
    same = await asyncio.gather(*[refund(client, shop.clerk, return_id, "same") for _ in range(4)])
    others = await asyncio.gather(
        *[refund(client, shop.clerk, return_id, f"other-{i}") for i in range(4)]
    )
    # then: one refund, answered to every retry; nothing more was left for the others
    assert all(a["userErrors"] == [] for a in same)
    assert len({a["refund"]["id"] for a in same}) == 1
    assert {e["code"] for a in others for e in a["userErrors"]} == {"REFUND_EXCEEDS_REFUNDABLE"}
    async with db.write() as uow:
        count = (await uow.session.execute(select(func.count()).select_from(Refund))).scalar()
    assert count == 1
