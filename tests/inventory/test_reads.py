"""The inventory read service's access rules, called directly as any caller would."""

from __future__ import annotations

import pytest

from app.auth.scopes import INVENTORY_READ
from app.auth.viewer import ANONYMOUS, Viewer, ViewerKind
from app.database import Database
from app.errors import Forbidden, Unauthenticated
from app.inventory import catalog_stock, reads, transfers
from app.inventory.rules import StockLine
from app.kit.pagination import PageRequest
from app.locations.views import LocationFilter
from app.models.location import LocationStatus
from app.models.staff import StaffRole
from app.reference.cache import cache_for
from tests.factories.channels import create_location
from tests.factories.inventory import ADMIN, set_pool, stock, variant_id
from tests.inventory.helpers import shop

CUSTOMER = Viewer(kind=ViewerKind.CUSTOMER, customer_id=1)
FEED_PARTNER = Viewer(kind=ViewerKind.PARTNER, partner_id=1, scopes=frozenset({INVENTORY_READ}))
OTHER_PARTNER = Viewer(kind=ViewerKind.PARTNER, partner_id=2, scopes=frozenset({"customers:read"}))
ASSOCIATE = Viewer(kind=ViewerKind.STAFF, staff_id=3, role=StaffRole.STORE_ASSOCIATE)
SIZES = {"default_size": 10, "max_size": 10}


async def _transfer_and_movement(db: Database) -> tuple[int, int]:
    s = await shop(db)
    level = await stock(db, "TEE-0", s.warehouse.id, 5)
    async with db.write() as uow:
        transfer_id = await transfers.create_transfer(
            uow, ADMIN, None, from_location_id=s.warehouse.id, to_location_id=s.downtown.id,
            lines=[StockLine("TEE-0", 2)],
        )  # fmt: skip
    ledger = await reads.movement_page(
        db, cache_for(db), ADMIN, variant_id=level.variant_id, sku=None,
        location_id=None, page=PageRequest(first=1), **SIZES,
    )  # fmt: skip
    return transfer_id, ledger.items[0].movement.id


@pytest.mark.parametrize("viewer", [ANONYMOUS, CUSTOMER, FEED_PARTNER])
async def test_transfers_and_ledger_entries_do_not_exist_for_anyone_but_staff(
    db: Database, viewer: Viewer
) -> None:
    # given
    transfer_id, movement_id = await _transfer_and_movement(db)
    ref = cache_for(db)
    # when / then
    assert await reads.transfers_by_ids(db, ref, viewer, [transfer_id]) == {}
    assert await reads.movements_by_ids(db, ref, viewer, [movement_id]) == {}
    seen = await reads.transfers_by_ids(db, ref, ASSOCIATE, [transfer_id])
    assert seen[transfer_id].to_location.code == "downtown"
    moves = await reads.movements_by_ids(db, ref, ASSOCIATE, [movement_id])
    assert moves[movement_id].location.code == "wh"


@pytest.mark.parametrize(
    ("viewer", "error"),
    [(ANONYMOUS, Unauthenticated), (CUSTOMER, Forbidden), (FEED_PARTNER, Forbidden)],
)
async def test_stock_pools_and_the_ledger_are_staff_only(
    db: Database, viewer: Viewer, error: type[Exception]
) -> None:
    s = await shop(db)
    ref = cache_for(db)
    web = (await ref.channels()).by_id(s.web_id)
    assert web is not None
    with pytest.raises(error):
        await reads.stock_pool(ref, viewer, web)
    with pytest.raises(error):
        await reads.movement_page(
            db, ref, viewer, variant_id=None, sku="TEE-0", location_id=None,
            page=PageRequest(first=1), **SIZES,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("viewer", "error"),
    [(ANONYMOUS, Unauthenticated), (CUSTOMER, Forbidden), (OTHER_PARTNER, Forbidden)],
)
async def test_the_stock_feed_is_for_staff_and_partners_with_the_inventory_scope(
    db: Database, viewer: Viewer, error: type[Exception]
) -> None:
    # given
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id])
    await stock(db, "TEE-1", s.warehouse.id, 4)
    ref = cache_for(db)
    web = (await ref.channels()).by_id(s.web_id)
    assert web is not None

    async def feed(who: Viewer) -> dict[str, int]:
        page = await reads.inventory_level_page(
            db, ref, who, web, updated_since=None, page=PageRequest(first=5), **SIZES,
        )  # fmt: skip
        return {level.sku: level.available for level in page.items}

    # when / then
    with pytest.raises(error):
        await feed(viewer)
    assert await feed(FEED_PARTNER) == {"TEE-0": 0, "TEE-1": 4}
    assert await feed(ASSOCIATE) == {"TEE-0": 0, "TEE-1": 4}


async def test_locations_closed_for_good_are_listed_only_when_asked_by_status(
    db: Database,
) -> None:
    # given
    await create_location(db, code="open")
    await create_location(db, code="shut", status=LocationStatus.TEMPORARILY_CLOSED)
    await create_location(db, code="gone", status=LocationStatus.CLOSED)
    ref = cache_for(db)

    async def codes(wanted: LocationFilter) -> list[str]:
        page = await reads.location_page(ref, wanted, PageRequest(first=10), **SIZES)
        return sorted(m.location.code for m in page.items)

    # when / then
    assert await codes(LocationFilter()) == ["open", "shut"]
    assert await codes(LocationFilter(statuses=(LocationStatus.CLOSED,))) == ["gone"]


async def test_a_variants_stock_is_summed_over_the_channel_pool_only(db: Database) -> None:
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id], buffer=1)
    await stock(db, "TEE-0", s.warehouse.id, 5)
    await stock(db, "TEE-0", s.downtown.id, 7)
    vid = await variant_id(db, "TEE-0")
    found = await catalog_stock.stock_of_variants(db, cache_for(db), [vid])
    totals = catalog_stock.channel_totals(found[vid], s.web_id)
    assert (totals.on_hand, totals.available) == (5, 4)
    assert catalog_stock.channel_totals(found[vid], s.web_id + 100).available == 0
