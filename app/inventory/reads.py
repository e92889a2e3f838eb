"""Inventory reads with their access rules: locations, stock pools, the ledger, transfers
and the partner stock feed. Resolvers and other callers go through these, never through the
repositories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.auth.access import ensure_staff
from app.auth.scopes import INVENTORY_READ
from app.auth.viewer import Viewer
from app.channels.views import ChannelView
from app.database import Database
from app.errors import Forbidden, Invalid, Unauthenticated
from app.inventory import pool_repository, repository, transfer_repository
from app.inventory.views import ChannelPool, InventoryLevelView, MovementView, TransferView
from app.kit.pagination import Page, PageRequest, decode_cursor, encode_cursor
from app.locations.service import find_locations
from app.locations.views import LocationFilter, LocationMatch, LocationView
from app.models.location import LocationStatus
from app.reference.cache import ReferenceCache

# Locations closed for good stay listed only when asked for by status.
LISTED_BY_DEFAULT = (LocationStatus.OPEN, LocationStatus.TEMPORARILY_CLOSED)


@dataclass(frozen=True, slots=True)
class PoolRead:
    channel: ChannelView
    pool: ChannelPool
    # Member locations, preferred first.
    locations: list[LocationView]


@dataclass(frozen=True, slots=True)
class MovementRead:
    movement: MovementView
    location: LocationView


@dataclass(frozen=True, slots=True)
class TransferRead:
    transfer: TransferView
    from_location: LocationView
    to_location: LocationView


async def location_page(
    reference: ReferenceCache,
    wanted: LocationFilter,
    page: PageRequest,
    *,
    default_size: int,
    max_size: int,
) -> Page[LocationMatch]:
    """Locations are few, so they are matched and sorted in memory; the cursor is a position."""
    if not wanted.statuses:
        wanted = LocationFilter(wanted.kinds, wanted.capabilities, LISTED_BY_DEFAULT,
                                wanted.near, wanted.radius_km)  # fmt: skip
    matches = find_locations((await reference.locations()).values(), wanted)
    if page.last is not None or page.before is not None:
        raise Invalid("Locations page forward only; use first and after",
                      code="INVALID_PAGINATION", field="last")  # fmt: skip
    size, _ = page.resolve(default_size, max_size)
    start = 0
    if page.after is not None:
        (position,) = decode_cursor(page.after, 1, "after")
        if not isinstance(position, int) or position < 0:
            raise Invalid("The cursor is not valid", code="INVALID_CURSOR", field="after")
        start = position + 1
    chosen = matches[start : start + size]
    total = len(matches)

    async def count() -> int:
        return total

    return Page(
        items=chosen,
        cursors=[encode_cursor([start + i]) for i in range(len(chosen))],
        has_next_page=start + size < total,
        has_previous_page=start > 0,
        count=count,
    )


async def locations_by_ids(
    reference: ReferenceCache, ids: Sequence[int]
) -> dict[int, LocationView]:
    """Locations are public, closed ones included (an order can still name them)."""
    found = await reference.locations()
    return {i: found[i] for i in ids if i in found}


async def all_locations(reference: ReferenceCache) -> dict[int, LocationView]:
    return await reference.locations()


async def stock_pool(reference: ReferenceCache, viewer: Viewer, channel: ChannelView) -> PoolRead:
    """Which locations a channel sells from: staff only."""
    ensure_staff(viewer)
    pool = await reference.pool_of(channel.id)
    found = await reference.locations()
    members = sorted(
        (found[i] for i in pool.location_ids if i in found), key=lambda loc: (loc.priority, loc.id)
    )
    return PoolRead(channel, pool, members)


async def movement_page(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    *,
    variant_id: int | None,
    sku: str | None,
    location_id: int | None,
    page: PageRequest,
    default_size: int,
    max_size: int,
) -> Page[MovementRead]:
    """The ledger, newest first, for a variant (by id or SKU), a location or both: staff only."""
    ensure_staff(viewer)
    if sku is not None:
        found = await repository.variant_id_of_sku(db, sku)
        if found is None:
            raise Invalid(f"No variant with SKU '{sku}'", code="UNKNOWN_SKU", field="sku")
        if variant_id is not None and variant_id != found:
            raise Invalid("variantId and sku name different variants",
                          code="INVALID_ARGUMENTS", field="sku")  # fmt: skip
        variant_id = found
    if variant_id is None and location_id is None:
        raise Invalid("Name a variant (variantId or sku), a location, or both",
                      code="INVALID_ARGUMENTS", field="variantId")  # fmt: skip
    views = await repository.movement_page(
        db, page, variant_id=variant_id, location_id=location_id,
        default_size=default_size, max_size=max_size,
    )  # fmt: skip
    locations = await reference.locations()
    return Page(
        items=[MovementRead(m, locations[m.location_id]) for m in views.items],
        cursors=views.cursors,
        has_next_page=views.has_next_page,
        has_previous_page=views.has_previous_page,
        count=views.count,
    )


async def movements_by_ids(
    db: Database, reference: ReferenceCache, viewer: Viewer, ids: Sequence[int]
) -> dict[int, MovementRead]:
    """Ledger entries by id; to anyone but staff they do not exist."""
    if not viewer.is_staff:
        return {}
    movements = await repository.movements_by_ids(db, ids)
    locations = await reference.locations()
    return {i: MovementRead(m, locations[m.location_id]) for i, m in movements.items()}


async def transfers_by_ids(
    db: Database, reference: ReferenceCache, viewer: Viewer, ids: Sequence[int]
) -> dict[int, TransferRead]:
    """Transfers by id; to anyone but staff they do not exist."""
    if not viewer.is_staff:
        return {}
    transfers = await transfer_repository.transfers_by_ids(db, ids)
    locations = await reference.locations()
    return {
        i: TransferRead(t, locations[t.from_location_id], locations[t.to_location_id])
        for i, t in transfers.items()
    }


def _ensure_feed_reader(viewer: Viewer) -> None:
    if viewer.is_staff or viewer.has_scope(INVENTORY_READ):
        return
    if viewer.is_anonymous:
        raise Unauthenticated("Sign-in required")
    raise Forbidden("Staff or partners with the inventory:read scope only")


async def inventory_level_page(
    db: Database,
    reference: ReferenceCache,
    viewer: Viewer,
    channel: ChannelView,
    *,
    updated_since: datetime | None,
    page: PageRequest,
    default_size: int,
    max_size: int,
) -> Page[InventoryLevelView]:
    """The partner stock feed: every SKU the channel sells, or those changed since a time."""
    _ensure_feed_reader(viewer)
    if updated_since is not None and updated_since.tzinfo is None:
        raise Invalid("updatedSince needs a time zone (use UTC, ending in Z)",
                      code="INVALID_DATETIME", field="updatedSince")  # fmt: skip
    return await pool_repository.inventory_level_page(
        db, page, await reference.pool_of(channel.id), updated_since=updated_since,
        default_size=default_size, max_size=max_size,
    )  # fmt: skip
