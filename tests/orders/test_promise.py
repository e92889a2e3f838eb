"""The delivery promise before checkout is what checkout then does."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from app.config import Settings
from app.database import Database
from app.locations.views import LocationView
from app.models.location import LocationKind, LocationStatus
from app.orders.promise import ready_after_transfer
from tests.carts.documents import ADD
from tests.factories.carts import world
from tests.factories.channels import create_location
from tests.factories.inventory import set_pool, stock
from tests.graphql import gql
from tests.orders.documents import MONTREAL, cart_with, checkout

OPTIONS = (
    "query($id: ID!) { cart(id: $id) { fulfillmentOptions(near: {latitude: 45.5,"
    " longitude: -73.57}, first: 3) { pickup { location { code } readyNow readyAt"
    " fromLocationId } shipping { split rule parcels { locationCode units } } } } }"
)


def _store(code: str) -> LocationView:
    return LocationView(1, code, code, LocationKind.STORE, LocationStatus.OPEN, "", "", "", "",
                        "CA", 45.5, -73.5, True, True, True, 100)  # fmt: skip


def test_a_transfer_is_ready_at_the_next_opening_hour_in_the_stores_time_zone() -> None:
    settings = Settings(transfer_lead_hours={"wh:downtown": 30}, store_opening_hours=(10, 21),
                        store_time_zone="America/Toronto")  # fmt: skip
    # 2026-11-25 20:00 UTC + 30 h = 2026-11-27 02:00 UTC = 21:00 Toronto: closed, so 10:00
    ready = ready_after_transfer(
        settings, _store("wh"), _store("downtown"), datetime(2026, 11, 25, 20, tzinfo=UTC)
    )
    assert ready == datetime(2026, 11, 27, 15, tzinfo=UTC)
    # default lead time 24 h, landing at 11:00 Toronto: ready then
    same = ready_after_transfer(
        settings, _store("other"), _store("downtown"), datetime(2026, 11, 25, 16, tzinfo=UTC)
    )
    assert same == datetime(2026, 11, 26, 16, tzinfo=UTC)


async def test_the_promise_shows_pickup_now_or_after_transfer_and_checkout_keeps_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: MUG-0 on the shelf downtown; the uptown store has none; the warehouse has 50
    w = await world(db)
    uptown = await create_location(db, code="uptown", pickup=True, latitude=45.52)
    for channel_id in w.channels.values():
        await set_pool(db, channel_id, [w.warehouse.id, w.store.id, uptown.id])
    await stock(db, "MUG-0", w.store.id, 3)
    cart_id = await cart_with(client, [(w.variant("MUG-0"), 2)], ship_to=MONTREAL)
    # when
    options = (await gql(client, OPTIONS, {"id": cart_id}))["data"]["cart"]["fulfillmentOptions"]
    # then
    pickup = {p["location"]["code"]: p for p in options["pickup"]}
    assert pickup["downtown"]["readyNow"] is True
    assert pickup["uptown"]["readyNow"] is False
    assert pickup["uptown"]["fromLocationId"] == w.location(w.warehouse)
    assert options["shipping"]["split"] is False
    shipped_from = options["shipping"]["parcels"][0]["locationCode"]
    # and checkout ships from where the promise said
    order = (await checkout(client, cart_id, "promise-1"))["order"]
    assert order["fulfillments"][0]["locationId"] == {
        "wh": w.location(w.warehouse), "downtown": w.location(w.store),
    }[shipped_from]  # fmt: skip


async def test_a_cart_no_single_location_can_fill_is_promised_split(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: TEE-0 only in the warehouse, MUG-1 only downtown
    w = await world(db, stock_units=0)
    await stock(db, "TEE-0", w.warehouse.id, 5)
    await stock(db, "MUG-1", w.store.id, 5)
    cart_id = await cart_with(client, [(w.variant("TEE-0"), 1)], ship_to=MONTREAL)
    await gql(client, ADD, {"id": cart_id, "lines": [{"merchandiseId": w.variant("MUG-1")}]})
    # when
    options = (await gql(client, OPTIONS, {"id": cart_id}))["data"]["cart"]["fulfillmentOptions"]
    order = (await checkout(client, cart_id, "split-1"))["order"]
    # then
    assert options["shipping"]["split"] is True
    assert options["pickup"] == []
    assert sorted(p["locationCode"] for p in options["shipping"]["parcels"]) == ["downtown", "wh"]
    assert len(order["fulfillments"]) == 2
