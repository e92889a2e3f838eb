"""The delivery promise shown before checkout (`cart.fulfillmentOptions`): what routing would
do for the cart's lines now, with the same rules and pool checkout uses, so the promise shown
is the one checkout keeps while the stock stays as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.config import Settings
from app.database import Database
from app.inventory.views import ChannelPool
from app.kit.clock import utcnow
from app.kit.geo import haversine_km
from app.locations.views import GeoPoint, LocationView
from app.models.location import LocationKind
from app.models.order import FulfillmentMethod
from app.orders import repository
from app.orders.routing import Allocation, RouteRequest, route


@dataclass(frozen=True, slots=True)
class PickupPromise:
    location: LocationView
    distance_km: float | None
    ready_now: bool
    # None when ready now; else when the transfer should be on the shelf.
    ready_at: datetime | None
    # Where the units come from when they must travel to the store first.
    from_location: LocationView | None


@dataclass(frozen=True, slots=True)
class ShippingPromise:
    allocations: list[Allocation]
    rule: str | None

    @property
    def split(self) -> bool:
        return len(self.allocations) > 1


@dataclass(frozen=True, slots=True)
class FulfillmentOptions:
    pickup: list[PickupPromise]
    shipping: ShippingPromise | None


def ready_after_transfer(
    settings: Settings, source: LocationView, store: LocationView, now: datetime
) -> datetime:
    """Arrival after the route's lead time, moved to the store's next opening hour."""
    hours = settings.transfer_lead_hours.get(
        f"{source.code}:{store.code}", settings.transfer_lead_hours_default
    )
    zone = ZoneInfo(settings.store_time_zone)
    arrival = now + timedelta(hours=hours)
    # Promised by the hour: a customer is told "tomorrow from 15:00", not to the second.
    if arrival.minute or arrival.second or arrival.microsecond:
        arrival = arrival.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    local = arrival.astimezone(zone)
    opens, closes = settings.store_opening_hours
    if local.hour < opens:
        local = local.replace(hour=opens, minute=0, second=0, microsecond=0)
    elif local.hour >= closes:
        local = (local + timedelta(days=1)).replace(hour=opens, minute=0, second=0, microsecond=0)
    return local.astimezone(now.tzinfo)


async def fulfillment_options(
    db: Database,
    settings: Settings,
    *,
    locations: dict[int, LocationView],
    channel_code: str,
    pool: ChannelPool | None,
    lines: dict[int, int],
    near: GeoPoint | None,
    destination: GeoPoint | None,
    stores: int,
) -> FulfillmentOptions:
    if not lines:
        return FulfillmentOptions([], None)
    members = set(pool.location_ids) if pool else set()
    pickup_stores = [loc for loc in locations.values() if loc.pickup and loc.is_open]
    origin = near or destination

    def distance(loc: LocationView) -> float | None:
        if origin is None:
            return None
        return haversine_km(origin.latitude, origin.longitude, loc.latitude, loc.longitude)

    pickup_stores.sort(key=lambda loc: (distance(loc) or 0.0, loc.priority, loc.id))
    wanted = sorted(members | {loc.id for loc in pickup_stores})
    async with db.read() as conn:
        units = await repository.available_at(conn, list(lines), wanted)
    now = utcnow()
    pickup: list[PickupPromise] = []
    for store in pickup_stores:
        if len(pickup) >= stores:
            break
        pool_with_store = sorted(members | {store.id})
        decided = route(RouteRequest(
            FulfillmentMethod.PICKUP_IN_STORE, lines,
            [(locations[m], units.get(m, {})) for m in pool_with_store if m in locations],
            pickup_location=store,
        ))  # fmt: skip
        if not decided.filled:
            continue
        source = locations[decided.allocations[0].location_id]
        ready_now = decided.rule == "pickup_at_store"
        pickup.append(PickupPromise(
            store, distance(store), ready_now,
            None if ready_now else ready_after_transfer(settings, source, store, now),
            None if ready_now else source,
        ))  # fmt: skip
    shipped = route(RouteRequest(
        FulfillmentMethod.SHIPPING, lines,
        [(locations[m], units.get(m, {})) for m in sorted(members) if m in locations],
        destination=destination, prefer_kind=_preference(settings, channel_code),
    ))  # fmt: skip
    shipping = ShippingPromise(shipped.allocations, shipped.rule) if shipped.filled else None
    return FulfillmentOptions(pickup, shipping)


def _preference(settings: Settings, channel_code: str) -> LocationKind | None:
    wanted = settings.routing_preference.get(channel_code)
    if wanted is None or wanted not in LocationKind.__members__:
        return None
    return LocationKind(wanted)
