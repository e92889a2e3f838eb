"""What a cart's reader is warned about: stock for the chosen delivery, price changes, and
products no longer sold. Lines are never dropped; the shopper decides."""

from __future__ import annotations

from collections.abc import Sequence

from app.carts.views import CartLineView, CartView, CartWarning, CartWarningCode
from app.database import Database
from app.inventory import pool_repository
from app.inventory import repository as inventory_repository
from app.inventory.views import pool_totals
from app.locations import repository as location_repository
from app.models.cart import DeliveryMethod
from app.pricing.repository import VariantFacts


async def available_units(
    db: Database, cart: CartView, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Units each variant can still promise: at the pickup store, or over the channel's pool."""
    levels = await inventory_repository.levels_of_variants(db, variant_ids)
    locations = await location_repository.all_locations(db)
    if cart.delivery_method is DeliveryMethod.PICKUP and cart.pickup_location_id is not None:
        store = locations.get(cart.pickup_location_id)
        result = {}
        for variant_id in variant_ids:
            level = levels.get(variant_id, {}).get(cart.pickup_location_id)
            open_store = store is not None and store.is_open
            result[variant_id] = level.available if level is not None and open_store else 0
        return result
    pool = await pool_repository.pool_of(db, cart.channel_id)
    return {
        variant_id: pool_totals(levels.get(variant_id, {}), pool, locations).available
        for variant_id in variant_ids
    }


def warnings_for(
    lines: Sequence[CartLineView], facts: dict[int, VariantFacts], available: dict[int, int]
) -> list[CartWarning]:
    found: list[CartWarning] = []
    for line in lines:
        fact = facts.get(line.variant_id)
        if fact is None or not fact.product_active or not fact.published or fact.unit_price is None:
            found.append(
                CartWarning(
                    CartWarningCode.PRODUCT_UNAVAILABLE,
                    line.id,
                    "This product is no longer sold here",
                )
            )
            continue
        units = available.get(line.variant_id, 0)
        if units == 0:
            found.append(
                CartWarning(CartWarningCode.OUT_OF_STOCK, line.id, f"{fact.sku} is out of stock")
            )
        elif units < line.quantity:
            found.append(
                CartWarning(
                    CartWarningCode.NOT_ENOUGH_STOCK,
                    line.id,
                    f"Only {units} of {fact.sku} available",
                )
            )
        if line.unit_price_seen is not None and line.unit_price_seen != fact.unit_price:
            found.append(
                CartWarning(
                    CartWarningCode.PRICE_CHANGED,
                    line.id,
                    f"The price of {fact.sku} changed since it was added",
                )
            )
    return found
