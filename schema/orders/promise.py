"""`cart.fulfillmentOptions`: the delivery promise, from `app.orders.promise`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from app.carts.views import CartRead
from app.locations.views import GeoPoint
from app.orders import promise
from schema.context import Info
from schema.errors import ApiError
from schema.inventory.types import Location
from schema.relay import to_global_id

if TYPE_CHECKING:
    from schema.inventory.inputs import GeoPointInput

MAX_STORES = 10


@strawberry.type
class PickupOption:
    location: Location
    distance_km: float | None
    ready_now: bool
    ready_at: datetime | None = strawberry.field(
        description="Null when ready now; else when the transfer should be on the shelf "
        "(by the hour, within the store's opening hours)."
    )
    from_location_id: strawberry.ID | None = strawberry.field(
        description="Where the units travel from when the store lacks them."
    )


@strawberry.type
class ShippingParcel:
    location_id: strawberry.ID
    location_code: str
    units: int


@strawberry.type
class ShippingOption:
    parcels: list[ShippingParcel]
    split: bool
    rule: str | None


@strawberry.type
class FulfillmentOptions:
    pickup: list[PickupOption]
    shipping: ShippingOption | None = strawberry.field(
        description="Null when no location of the channel's pool can ship it."
    )


def _point(address: dict[str, object] | None) -> GeoPoint | None:
    if not address:
        return None
    lat, lon = address.get("latitude"), address.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return GeoPoint(float(lat), float(lon))
    return None


async def cart_fulfillment_options(
    info: Info, read: CartRead, near: GeoPointInput | None, first: int
) -> FulfillmentOptions:
    if not 0 <= first <= MAX_STORES:
        raise ApiError(f"first is 0 to {MAX_STORES}", "LIMIT_EXCEEDED")
    ctx = info.context
    cache = await ctx.reference()
    locations = await cache.locations()
    lines: dict[int, int] = {}
    for line in read.lines:
        lines[line.variant_id] = lines.get(line.variant_id, 0) + line.quantity
    found = await promise.fulfillment_options(
        ctx.db, ctx.settings, locations=locations, channel_code=read.channel.code,
        pool=await cache.pool_of(read.cart.channel_id), lines=lines,
        near=near.to_domain() if near else None,
        destination=_point(read.cart.shipping_address), stores=first,
    )  # fmt: skip
    shipping = None
    if found.shipping is not None:
        shipping = ShippingOption(
            parcels=[
                ShippingParcel(
                    location_id=strawberry.ID(to_global_id("Location", a.location_id)),
                    location_code=locations[a.location_id].code,
                    units=sum(a.lines.values()),
                )
                for a in found.shipping.allocations
            ],
            split=found.shipping.split,
            rule=found.shipping.rule,
        )
    return FulfillmentOptions(
        pickup=[
            PickupOption(
                location=Location.from_view(p.location, p.distance_km),
                distance_km=p.distance_km,
                ready_now=p.ready_now,
                ready_at=p.ready_at,
                from_location_id=strawberry.ID(to_global_id("Location", p.from_location.id))
                if p.from_location
                else None,
            )
            for p in found.pickup
        ],
        shipping=shipping,
    )
