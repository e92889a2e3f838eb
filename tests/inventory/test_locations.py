from __future__ import annotations

import httpx

from app.database import Database
from app.models.location import LocationKind, LocationStatus
from tests.factories.channels import create_location
from tests.graphql import gql

LOCATIONS = """
query Locations($filter: LocationFilter, $first: Int, $after: String) {
  locations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { code kind status capabilities distanceKm address { city } }
  }
}
"""

# Montreal: downtown, the Plateau (about 2.6 km away), Laval (about 17 km away).
DOWNTOWN = {"latitude": 45.5010, "longitude": -73.5706}


async def _three_locations(db: Database) -> None:
    await create_location(
        db,
        code="st-downtown",
        latitude=45.5010,
        longitude=-73.5706,
        pickup=True,
        ships=True,
        city="Montréal",
    )
    await create_location(
        db, code="st-plateau", latitude=45.5225, longitude=-73.5837, pickup=True, city="Montréal"
    )
    await create_location(
        db,
        code="wh-laval",
        kind=LocationKind.WAREHOUSE,
        latitude=45.5869,
        longitude=-73.7650,
        ships=True,
        city="Laval",
        priority=1,
    )


async def test_locations_near_a_point_come_nearest_first_with_distances(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await _three_locations(db)
    # when
    body = await gql(client, LOCATIONS, {"filter": {"near": DOWNTOWN}})
    # then
    nodes = body["data"]["locations"]["nodes"]
    assert [n["code"] for n in nodes] == ["st-downtown", "st-plateau", "wh-laval"]
    assert nodes[0]["distanceKm"] == 0
    assert 2 < nodes[1]["distanceKm"] < 3.5
    assert 15 < nodes[2]["distanceKm"] < 20


async def test_locations_filter_by_kind_capability_and_radius(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await _three_locations(db)
    # when
    stores = await gql(client, LOCATIONS, {"filter": {"kind": ["STORE"]}})
    shipping = await gql(client, LOCATIONS, {"filter": {"capability": ["SHIPPING"]}})
    close = await gql(client, LOCATIONS, {"filter": {"near": {**DOWNTOWN, "radiusKm": 5}}})
    # then
    assert {n["code"] for n in stores["data"]["locations"]["nodes"]} == {
        "st-downtown",
        "st-plateau",
    }
    # Without a point, the routing priority orders the list.
    assert [n["code"] for n in shipping["data"]["locations"]["nodes"]] == [
        "wh-laval",
        "st-downtown",
    ]
    assert shipping["data"]["locations"]["nodes"][0]["distanceKm"] is None
    assert [n["code"] for n in close["data"]["locations"]["nodes"]] == ["st-downtown", "st-plateau"]


async def test_locations_filter_by_status_and_hide_closed_ones_unless_asked(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_location(db, code="open")
    await create_location(db, code="shut", status=LocationStatus.TEMPORARILY_CLOSED)
    await create_location(db, code="gone", status=LocationStatus.CLOSED)
    # when
    open_only = await gql(client, LOCATIONS, {"filter": {"status": ["OPEN"]}})
    default = await gql(client, LOCATIONS)
    closed = await gql(client, LOCATIONS, {"filter": {"status": ["CLOSED"]}})
    # then
    assert [n["code"] for n in open_only["data"]["locations"]["nodes"]] == ["open"]
    assert [n["code"] for n in default["data"]["locations"]["nodes"]] == ["open", "shut"]
    assert [n["code"] for n in closed["data"]["locations"]["nodes"]] == ["gone"]


async def test_locations_page_forward_with_cursors(client: httpx.AsyncClient, db: Database) -> None:
    # given
    await _three_locations(db)
    # when
    first = (await gql(client, LOCATIONS, {"filter": {"near": DOWNTOWN}, "first": 2}))["data"]
    after = first["locations"]["pageInfo"]["endCursor"]
    second = await gql(
        client, LOCATIONS, {"filter": {"near": DOWNTOWN}, "first": 2, "after": after}
    )
    # then
    assert first["locations"]["totalCount"] == 3
    assert first["locations"]["pageInfo"]["hasNextPage"] is True
    page = second["data"]["locations"]
    assert [n["code"] for n in page["nodes"]] == ["wh-laval"]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_locations_refuse_a_radius_that_is_not_positive(
    client: httpx.AsyncClient, db: Database
) -> None:
    await _three_locations(db)
    body = await gql(client, LOCATIONS, {"filter": {"near": {**DOWNTOWN, "radiusKm": 0}}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_RADIUS"


async def test_locations_refuse_impossible_coordinates(
    client: httpx.AsyncClient, db: Database
) -> None:
    body = await gql(client, LOCATIONS, {"filter": {"near": {"latitude": 91, "longitude": 0}}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_COORDINATES"
