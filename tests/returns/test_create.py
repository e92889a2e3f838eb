"""Starting a return: any order, at a store that accepts returns or by mail; only what was
handed over or shipped, less what is already returned, within the channel's window."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from tests.factories.channels import create_location
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.returns.helpers import (
    accept_returns,
    return_count,
    set_window,
    shipped_order,
    start_return,
)


async def test_a_customer_returns_a_shipped_web_order_at_a_store(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: Ana's web order was shipped from the warehouse
    shop = await shipped_order(client, db, settings)
    store = shop.w.location(shop.w.store)
    # when: she starts a return of one mug at the downtown store
    started = await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": store, "reason": "Too small",
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 1}],
    })  # fmt: skip
    # then
    assert started["userErrors"] == []
    ret = started["return"]
    assert (ret["status"], ret["locationId"], ret["byMail"], ret["reason"]) == (
        "REQUESTED", store, False, "Too small",
    )  # fmt: skip
    assert ret["orderNumber"] == shop.order["number"]
    assert ret["number"].startswith("RT-")
    assert ret["lines"] == [
        {"lineId": shop.line("MUG-0"), "sku": "MUG-0", "quantity": 1, "restocked": 0,
         "damaged": 0}
    ]  # fmt: skip
    # when: she tries to return two more mugs (only one is left)
    more = await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": store,
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 2}],
    })  # fmt: skip
    # then
    assert [(e["code"], ".".join(e["field"])) for e in more["userErrors"]] == [
        ("QUANTITY_NOT_RETURNABLE", "lines.0.quantity")
    ]
    assert more["return"] is None
    assert await return_count(db) == 1


async def test_an_associate_starts_a_mailed_return_for_any_order(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the warehouse takes mailed returns
    shop = await shipped_order(client, db, settings)
    await accept_returns(db, shop.w.warehouse.id)
    # when
    started = await start_return(client, shop.clerk, {
        "orderId": shop.order["id"], "byMail": True,
        "lines": [{"lineId": shop.line("TEE-0"), "quantity": 1},
                  {"lineId": shop.line("MUG-0"), "quantity": 2}],
    })  # fmt: skip
    # then: it goes to the warehouse
    assert started["userErrors"] == []
    assert started["return"]["byMail"] is True
    assert started["return"]["locationId"] == shop.w.location(shop.w.warehouse)
    assert [(ln["sku"], ln["quantity"]) for ln in started["return"]["lines"]] == [
        ("TEE-0", 1), ("MUG-0", 2),
    ]  # fmt: skip


async def test_bad_returns_are_refused_with_codes_and_write_nothing(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    shop = await shipped_order(client, db, settings)
    store = shop.w.location(shop.w.store)
    mug = [{"lineId": shop.line("MUG-0"), "quantity": 1}]
    closed = await create_location(db, code="no-returns")
    far = await create_location(db, code="uptown")
    await accept_returns(db, far.id)
    far_clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="far@example.com", home_location_id=far.id
    )
    bob = await customer_token(db, settings, await create_customer(db, email="bob@example.com"))
    base = {"orderId": shop.order["id"], "locationId": store, "lines": mug}
    cases = [
        (shop.customer, {**base, "lines": [{"lineId": shop.line("MUG-0"), "quantity": 3}]},
         ("QUANTITY_NOT_RETURNABLE", "lines.0.quantity")),
        (shop.customer, {**base, "lines": [{"lineId": shop.line("MUG-0"), "quantity": 0}]},
         ("QUANTITY_NOT_RETURNABLE", "lines.0.quantity")),
        (shop.customer, {**base, "lines": []}, ("RETURN_LINES_REQUIRED", "lines")),
        (shop.customer, {**base, "locationId": shop.w.location(closed)},
         ("LOCATION_DOES_NOT_ACCEPT_RETURNS", "locationId")),
        (shop.customer, {"orderId": shop.order["id"], "lines": mug},
         ("RETURN_LOCATION_REQUIRED", "locationId")),
        (shop.customer, {**base, "byMail": True}, ("RETURN_LOCATION_REQUIRED", "locationId")),
        (shop.customer, {"orderId": shop.order["id"], "lines": mug, "byMail": True},
         ("NO_MAIL_RETURN_LOCATION", "byMail")),
        (bob, base, ("NOT_FOUND", "orderId")),
        (far_clerk, base, ("FORBIDDEN", "locationId")),
    ]  # fmt: skip
    for token, input, expected in cases:
        # when
        refused = await start_return(client, token, input)
        # then
        codes = [(e["code"], ".".join(e["field"])) for e in refused["userErrors"]]
        assert codes == [expected], input
        assert refused["return"] is None
    # when: the web channel's window has closed
    await set_window(db, shop.w.channels["web"], 0)
    late = await start_return(client, shop.customer, base)
    # then
    assert [e["code"] for e in late["userErrors"]] == ["RETURN_WINDOW_CLOSED"]
    assert await return_count(db) == 0


async def test_units_not_yet_shipped_cannot_be_returned(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the order is placed but nothing has left the warehouse
    shop = await shipped_order(client, db, settings, ship=False)
    # when
    early = await start_return(client, shop.customer, {
        "orderId": shop.order["id"], "locationId": shop.w.location(shop.w.store),
        "lines": [{"lineId": shop.line("MUG-0"), "quantity": 1}],
    })  # fmt: skip
    # then
    assert [e["code"] for e in early["userErrors"]] == ["QUANTITY_NOT_RETURNABLE"]
    assert await return_count(db) == 0
