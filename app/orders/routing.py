"""Routing: which location fills which units of an order, and a record of why.

Routing is a pure function of the request and a snapshot of stock, so it is deterministic and
tested rule by rule. The rules run in order; each looks at the candidates still open and may
take some (ending the search) or pass over them, and every verdict is written into the
decision record that `order.routingDecision` shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.kit.geo import haversine_km
from app.locations.views import GeoPoint, LocationView
from app.models.location import LocationKind
from app.models.order import FulfillmentMethod

# variant id -> units
Units = Mapping[int, int]


@dataclass(frozen=True, slots=True)
class Candidate:
    location: LocationView
    distance_km: float | None
    available: Units

    def can_fill(self, wanted: Units) -> bool:
        return all(self.available.get(v, 0) >= q for v, q in wanted.items())


@dataclass(frozen=True, slots=True)
class RouteRequest:
    method: FulfillmentMethod
    lines: Units
    # Locations the channel sells from, each with its available units of the order's variants.
    pool: Sequence[tuple[LocationView, Units]]
    destination: GeoPoint | None = None
    pickup_location: LocationView | None = None
    # "STORE" or "WAREHOUSE": shipping tries that kind first; None: nearest wins.
    prefer_kind: LocationKind | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    location_id: int
    lines: Units


@dataclass(slots=True)
class Verdict:
    location_id: int
    location_code: str
    distance_km: float | None
    available: dict[int, int]
    rule: str
    taken: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {
            "locationId": self.location_id,
            "locationCode": self.location_code,
            "distanceKm": None if self.distance_km is None else round(self.distance_km, 1),
            "available": {str(k): v for k, v in sorted(self.available.items())},
            "rule": self.rule,
            "taken": self.taken,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Route:
    """The outcome: allocations (empty when nothing can fill the order) and the record."""

    method: FulfillmentMethod
    allocations: list[Allocation] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    rule: str | None = None

    @property
    def filled(self) -> bool:
        return bool(self.allocations)

    def decide(self, candidate: Candidate, rule: str, taken: bool, reason: str) -> None:
        self.verdicts.append(
            Verdict(
                candidate.location.id,
                candidate.location.code,
                candidate.distance_km,
                dict(candidate.available),
                rule,
                taken,
                reason,
            )
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "rule": self.rule,
            "candidates": [v.as_json() for v in self.verdicts],
        }


# A rule returns True when it settled the route (taken or refused for good).
Rule = Callable[[RouteRequest, list[Candidate], Route], bool]


def _distance(point: GeoPoint | None, location: LocationView) -> float | None:
    if point is None:
        return None
    return haversine_km(point.latitude, point.longitude, location.latitude, location.longitude)


def candidates(request: RouteRequest, origin: GeoPoint | None) -> list[Candidate]:
    """Open locations of the pool, nearest first (else by priority), ties by priority and id."""
    found = [
        Candidate(location, _distance(origin, location), units)
        for location, units in request.pool
        if location.is_open
    ]
    return sorted(
        found,
        key=lambda c: (
            c.distance_km if c.distance_km is not None else 0.0,
            c.location.priority,
            c.location.id,
        ),
    )


# Pickup rules.


def pickup_at_store(request: RouteRequest, found: list[Candidate], route: Route) -> bool:
    """The pickup store itself, when it holds every unit: ready at once."""
    store = request.pickup_location
    if store is None:
        return False
    here = next((c for c in found if c.location.id == store.id), None)
    if here is None:
        here = Candidate(store, 0.0, {})
    if here.can_fill(request.lines):
        route.decide(here, "pickup_at_store", True, "the pickup store has every unit")
        route.allocations = [Allocation(store.id, dict(request.lines))]
        route.rule = "pickup_at_store"
        return True
    route.decide(here, "pickup_at_store", False, "the pickup store lacks some units")
    return False


def pickup_transfer_from_nearest(
    request: RouteRequest, found: list[Candidate], route: Route
) -> bool:
    """The nearest other location that holds every unit sends them to the pickup store."""
    store = request.pickup_location
    if store is None:
        return False
    for candidate in found:
        if candidate.location.id == store.id:
            continue
        if candidate.can_fill(request.lines):
            reason = "nearest location holding every unit; transferred to the store"
            route.decide(candidate, "pickup_transfer_from_nearest", True, reason)
            route.allocations = [Allocation(candidate.location.id, dict(request.lines))]
            route.rule = "pickup_transfer_from_nearest"
            return True
        route.decide(candidate, "pickup_transfer_from_nearest", False, "lacks some units")
    return True


def handover_at_store(request: RouteRequest, found: list[Candidate], route: Route) -> bool:
    """Cash and carry: the till's own store must hold every unit; nothing else is asked."""
    store = request.pickup_location
    if store is None:
        return True
    here = next((c for c in found if c.location.id == store.id), Candidate(store, 0.0, {}))
    taken = here.can_fill(request.lines)
    reason = "the store holds every unit" if taken else "the store lacks some units"
    route.decide(here, "handover_at_store", taken, reason)
    route.rule = "handover_at_store"
    if taken:
        route.allocations = [Allocation(store.id, dict(request.lines))]
    return True


# Shipping rules.


def _ships(found: list[Candidate]) -> list[Candidate]:
    return [c for c in found if c.location.ships]


def ship_single_preferred_kind(request: RouteRequest, found: list[Candidate], route: Route) -> bool:
    """With a channel preference, the nearest location of that kind that fills everything."""
    if request.prefer_kind is None:
        return False
    for candidate in _ships(found):
        if candidate.location.kind is not request.prefer_kind:
            continue
        if candidate.can_fill(request.lines):
            reason = f"nearest {request.prefer_kind.value.lower()} holding every unit"
            route.decide(candidate, "ship_single_preferred_kind", True, reason)
            route.allocations = [Allocation(candidate.location.id, dict(request.lines))]
            route.rule = "ship_single_preferred_kind"
            return True
        route.decide(candidate, "ship_single_preferred_kind", False, "lacks some units")
    return False


def ship_single_nearest(request: RouteRequest, found: list[Candidate], route: Route) -> bool:
    """The nearest shipping location that fills every line, so the parcel travels once."""
    for candidate in _ships(found):
        if candidate.can_fill(request.lines):
            route.decide(candidate, "ship_single_nearest", True, "nearest holding every unit")
            route.allocations = [Allocation(candidate.location.id, dict(request.lines))]
            route.rule = "ship_single_nearest"
            return True
        route.decide(candidate, "ship_single_nearest", False, "lacks some units")
    return False


def ship_split_fewest(request: RouteRequest, found: list[Candidate], route: Route) -> bool:
    """No single location can: take greedily the location covering the most remaining units
    (nearer first on ties) until everything is covered, or give up."""
    remaining = {v: q for v, q in request.lines.items() if q > 0}
    pool = _ships(found)
    chosen: list[Allocation] = []
    while remaining:
        best: tuple[int, Candidate, dict[int, int]] | None = None
        for candidate in pool:
            if any(a.location_id == candidate.location.id for a in chosen):
                continue
            take = {
                v: min(q, candidate.available.get(v, 0))
                for v, q in remaining.items()
                if candidate.available.get(v, 0) > 0
            }
            covered = sum(take.values())
            if covered and (best is None or covered > best[0]):
                best = (covered, candidate, take)
        if best is None:
            route.rule = "ship_split_fewest"
            route.allocations = []
            return True
        _, candidate, take = best
        route.decide(candidate, "ship_split_fewest", True, f"covers {sum(take.values())} units")
        chosen.append(Allocation(candidate.location.id, take))
        for v, q in take.items():
            remaining[v] -= q
            if remaining[v] == 0:
                del remaining[v]
    route.allocations = chosen
    route.rule = "ship_split_fewest"
    return True


PICKUP_RULES: tuple[Rule, ...] = (pickup_at_store, pickup_transfer_from_nearest)
HANDOVER_RULES: tuple[Rule, ...] = (handover_at_store,)
SHIPPING_RULES: tuple[Rule, ...] = (
    ship_single_preferred_kind,
    ship_single_nearest,
    ship_split_fewest,
)


def route(request: RouteRequest, rules: Sequence[Rule] | None = None) -> Route:
    """Run the rules for the request's method in order until one settles the route."""
    if request.method is not FulfillmentMethod.SHIPPING:
        store = request.pickup_location
        origin = GeoPoint(store.latitude, store.longitude) if store else None
        default = (
            PICKUP_RULES if request.method is FulfillmentMethod.PICKUP_IN_STORE else HANDOVER_RULES
        )
        chain = default if rules is None else rules
    else:
        origin = request.destination
        chain = SHIPPING_RULES if rules is None else rules
    found = candidates(request, origin)
    result = Route(request.method)
    for rule in chain:
        if rule(request, found, result):
            break
    return result
