from __future__ import annotations

import httpx

from app.database import Database
from app.models.location import LocationStatus
from tests.conftest import StatementCounter
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location
from tests.factories.inventory import set_pool, stock
from tests.graphql import error_codes, gql
from tests.inventory.helpers import gid, shop

VARIANT_STOCK = """
query Variant($sku: String!, $channel: String, $location: ID!, $near: GeoPointInput!) {
  variant(sku: $sku) {
    inventory(channel: $channel) { channel available onHand reserved incoming }
    stockAt(locationId: $location) { onHand reserved safetyStock available location { code } }
    pickupAvailability(near: $near, radiusKm: 10) {
      available distanceKm location { code }
    }
  }
}
"""
DOWNTOWN = {"latitude": 45.5010, "longitude": -73.5706}


async def test_inventory_sums_the_channel_pool_less_reservations_safety_stock_and_buffer(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: web sells from the warehouse and downtown, holding one unit back
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id, s.downtown.id], buffer=1)
    await stock(db, "TEE-0", s.warehouse.id, 10, reserved=2)
    await stock(db, "TEE-0", s.downtown.id, 3, safety_stock=1)
    await stock(db, "TEE-0", s.plateau.id, 7)
    # when
    body = await gql(
        client,
        VARIANT_STOCK,
        {"sku": "TEE-0", "channel": "web", "location": s.loc(s.downtown), "near": DOWNTOWN},
    )
    # then: (10 - 2) + (3 - 1) - 1 buffer
    variant = body["data"]["variant"]
    assert variant["inventory"] == {
        "channel": "web",
        "available": 9,
        "onHand": 13,
        "reserved": 2,
        "incoming": 0,
    }
    assert variant["stockAt"] == {
        "onHand": 3,
        "reserved": 0,
        "safetyStock": 1,
        "available": 2,
        "location": {"code": "downtown"},
    }


async def test_closed_locations_do_not_count_as_available(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    web = await create_channel(db, code="web")
    shut = await create_location(db, code="shut", status=LocationStatus.TEMPORARILY_CLOSED)
    await create_product(db, handle="tee", channel_ids=[web.id], variants=1)
    await set_pool(db, web.id, [shut.id])
    await stock(db, "TEE-0", shut.id, 5)
    # when
    body = await gql(
        client,
        VARIANT_STOCK,
        {"sku": "TEE-0", "location": gid("Location", shut.id), "near": DOWNTOWN},
    )
    # then
    assert body["data"]["variant"]["inventory"]["available"] == 0
    assert body["data"]["variant"]["inventory"]["onHand"] == 5


async def test_pickup_availability_lists_nearby_pickup_stores_nearest_first(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: the warehouse is not a pickup store; the plateau has none left
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 50)
    await stock(db, "TEE-0", s.downtown.id, 2)
    # when
    body = await gql(
        client, VARIANT_STOCK, {"sku": "TEE-0", "location": s.loc(s.plateau), "near": DOWNTOWN}
    )
    # then
    pickup = body["data"]["variant"]["pickupAvailability"]
    assert [(p["location"]["code"], p["available"]) for p in pickup] == [
        ("downtown", 2),
        ("plateau", 0),
    ]
    assert pickup[0]["distanceKm"] == 0
    assert 2 < pickup[1]["distanceKm"] < 3.5
    # A location without a stock level is simply empty.
    assert body["data"]["variant"]["stockAt"]["onHand"] == 0


async def test_pickup_availability_can_leave_out_empty_stores(
    client: httpx.AsyncClient, db: Database
) -> None:
    s = await shop(db)
    await stock(db, "TEE-0", s.plateau.id, 1)
    body = await gql(
        client,
        """
      query($near: GeoPointInput!) { variant(sku: "TEE-0") {
        pickupAvailability(near: $near, inStockOnly: true) { location { code } } } }""",
        {"near": DOWNTOWN},
    )
    assert body["data"]["variant"]["pickupAvailability"] == [{"location": {"code": "plateau"}}]


async def test_products_filter_in_stock_on_the_channel(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given: "tee" is in stock in the pool, "cap" only outside it, "sock" only reserved
    s = await shop(db)
    await create_product(db, handle="cap", channel_ids=[s.web_id], variants=1)
    await create_product(db, handle="sock", channel_ids=[s.web_id], variants=1)
    await set_pool(db, s.web_id, [s.warehouse.id])
    await stock(db, "TEE-1", s.warehouse.id, 1)
    await stock(db, "CAP-0", s.plateau.id, 9)
    await stock(db, "SOCK-0", s.warehouse.id, 2, reserved=2)
    query = """query($inStock: Boolean) {
      products(channel: "web", filter: {inStock: $inStock}) { nodes { handle } } }"""
    # when
    in_stock = await gql(client, query, {"inStock": True})
    out_of_stock = await gql(client, query, {"inStock": False})
    # then
    assert [n["handle"] for n in in_stock["data"]["products"]["nodes"]] == ["tee"]
    assert [n["handle"] for n in out_of_stock["data"]["products"]["nodes"]] == ["cap", "sock"]


async def test_the_buffer_applies_to_the_in_stock_filter(
    client: httpx.AsyncClient, db: Database
) -> None:
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id], buffer=2)
    await stock(db, "TEE-0", s.warehouse.id, 2)
    body = await gql(
        client, '{ products(channel: "web", filter: {inStock: true}) { nodes { handle } } }'
    )
    assert body["data"]["products"]["nodes"] == []


PRODUCTS_WITH_STOCK = """
query($first: Int!, $near: GeoPointInput!, $location: ID!) {
  products(channel: "web", first: $first) {
    nodes { handle variants {
      sku
      inventory { available onHand reserved }
      stockAt(locationId: $location) { available }
      pickupAvailability(near: $near) { available distanceKm location { code } }
    } }
  }
}
"""


async def test_stock_fields_cost_the_same_statements_for_5_and_50_products(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # given
    s = await shop(db, skus=1)
    await set_pool(db, s.web_id, [s.warehouse.id, s.downtown.id])
    for n in range(50):
        await create_product(db, handle=f"p{n:02d}", channel_ids=[s.web_id], variants=2)
    await stock(db, "P00-0", s.downtown.id, 3)
    variables = {"near": DOWNTOWN, "location": s.loc(s.downtown)}
    # when
    count_statements.statements.clear()
    small = await gql(client, PRODUCTS_WITH_STOCK, {**variables, "first": 5})
    few = count_statements.count
    count_statements.statements.clear()
    large = await gql(client, PRODUCTS_WITH_STOCK, {**variables, "first": 50})
    many = count_statements.count
    # then
    assert "errors" not in small, small
    assert len(large["data"]["products"]["nodes"]) == 50
    first = large["data"]["products"]["nodes"][0]["variants"][0]
    assert first["inventory"]["available"] == 3
    assert first["pickupAvailability"][0] == {
        "available": 3,
        "distanceKm": 0.0,
        "location": {"code": "downtown"},
    }
    assert few == many


async def test_inventory_for_an_unknown_channel_is_a_coded_error(
    client: httpx.AsyncClient, db: Database
) -> None:
    await shop(db)
    body = await gql(
        client, '{ variant(sku: "TEE-0") { inventory(channel: "nope") { available } } }'
    )
    assert error_codes(body) == ["UNKNOWN_CHANNEL"]
