"""Routing, rule by rule, on plain snapshots: deterministic, no database."""

from __future__ import annotations

from app.locations.views import GeoPoint, LocationView
from app.models.location import LocationKind, LocationStatus
from app.models.order import FulfillmentMethod
from app.orders.routing import Route, RouteRequest, route


def _loc(
    id: int, lat: float, lon: float, *, kind: LocationKind = LocationKind.STORE,
    pickup: bool = True, ships: bool = True, priority: int = 100,
    status: LocationStatus = LocationStatus.OPEN,
) -> LocationView:  # fmt: skip
    return LocationView(
        id, f"l{id}", f"L{id}", kind, status, "", "", "", "", "CA", lat, lon, ships, pickup,
        True, priority,
    )  # fmt: skip


MONTREAL = GeoPoint(45.50, -73.57)
STORE = _loc(1, 45.50, -73.57)  # in Montréal
NEAR_STORE = _loc(2, 45.55, -73.60)
WAREHOUSE = _loc(3, 45.40, -73.90, kind=LocationKind.WAREHOUSE, pickup=False)
FAR_WAREHOUSE = _loc(4, 43.65, -79.38, kind=LocationKind.WAREHOUSE, pickup=False)


def _ship(pool: list[tuple[LocationView, dict[int, int]]], lines: dict[int, int],
          prefer: LocationKind | None = None) -> Route:  # fmt: skip
    return route(RouteRequest(FulfillmentMethod.SHIPPING, lines, pool, MONTREAL, None, prefer))


Pool = list[tuple[LocationView, dict[int, int]]]


def _pickup(pool: Pool, lines: dict[int, int]) -> Route:
    return route(RouteRequest(FulfillmentMethod.PICKUP_IN_STORE, lines, pool, None, STORE))


def test_pickup_at_store_takes_the_store_when_it_holds_every_unit() -> None:
    decided = _pickup([(STORE, {7: 2}), (WAREHOUSE, {7: 9})], {7: 2})
    assert decided.rule == "pickup_at_store"
    assert [(a.location_id, dict(a.lines)) for a in decided.allocations] == [(1, {7: 2})]
    assert [(v.location_code, v.taken) for v in decided.verdicts] == [("l1", True)]


def test_pickup_transfers_from_the_nearest_location_holding_every_unit() -> None:
    decided = _pickup(
        [(STORE, {7: 1}), (NEAR_STORE, {7: 1}), (WAREHOUSE, {7: 5}), (FAR_WAREHOUSE, {7: 5})],
        {7: 2},
    )
    assert decided.rule == "pickup_transfer_from_nearest"
    assert [a.location_id for a in decided.allocations] == [3]
    assert [(v.location_code, v.rule, v.taken) for v in decided.verdicts] == [
        ("l1", "pickup_at_store", False),
        ("l2", "pickup_transfer_from_nearest", False),
        ("l3", "pickup_transfer_from_nearest", True),
    ]


def test_pickup_with_no_location_holding_everything_is_not_filled() -> None:
    assert not _pickup([(STORE, {}), (WAREHOUSE, {7: 1})], {7: 2}).filled


def test_shipping_takes_the_nearest_location_that_fills_every_line() -> None:
    decided = _ship([(FAR_WAREHOUSE, {7: 9, 8: 9}), (STORE, {7: 9}), (WAREHOUSE, {7: 9, 8: 9})],
                    {7: 1, 8: 1})  # fmt: skip
    assert decided.rule == "ship_single_nearest"
    assert [a.location_id for a in decided.allocations] == [3]
    assert [v.distance_km is not None for v in decided.verdicts] == [True, True]


def test_shipping_prefers_the_channels_location_kind() -> None:
    decided = _ship([(STORE, {7: 1}), (WAREHOUSE, {7: 1})], {7: 1}, LocationKind.WAREHOUSE)
    assert decided.rule == "ship_single_preferred_kind"
    assert [a.location_id for a in decided.allocations] == [3]


def test_shipping_without_coordinates_follows_priority() -> None:
    low = _loc(5, 10.0, 10.0, priority=10)
    high = _loc(6, 45.5, -73.57, priority=50)
    decided = route(
        RouteRequest(FulfillmentMethod.SHIPPING, {7: 1}, [(high, {7: 1}), (low, {7: 1})])
    )
    assert [a.location_id for a in decided.allocations] == [5]


def test_shipping_splits_into_the_fewest_fulfilments_only_when_it_must() -> None:
    decided = _ship(
        [(STORE, {7: 1}), (NEAR_STORE, {8: 1}), (WAREHOUSE, {7: 2, 8: 1}), (FAR_WAREHOUSE, {9: 1})],
        {7: 2, 8: 1, 9: 1},
    )
    assert decided.rule == "ship_split_fewest"
    assert [(a.location_id, dict(a.lines)) for a in decided.allocations] == [
        (3, {7: 2, 8: 1}),
        (4, {9: 1}),
    ]


def test_closed_and_non_shipping_locations_are_never_candidates() -> None:
    closed = _loc(7, 45.5, -73.57, status=LocationStatus.TEMPORARILY_CLOSED)
    no_ship = _loc(8, 45.5, -73.57, ships=False)
    decided = _ship([(closed, {7: 5}), (no_ship, {7: 5})], {7: 1})
    assert not decided.filled
