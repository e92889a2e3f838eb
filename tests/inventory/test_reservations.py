from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.database import Database
from app.errors import DomainError
from app.inventory import reservations, service
from app.inventory.errors import InsufficientStock
from app.inventory.rules import StockLine
from app.inventory.verify import verify_ledger
from app.models.location import Location
from tests.conftest import truncate_all
from tests.factories.inventory import ADMIN, stock, variant_id
from tests.inventory.helpers import level_of, shop


async def test_reserving_lowers_available_and_never_exceeds_it(db: Database) -> None:
    # given: 5 on hand, 1 held back as safety stock
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5, safety_stock=1)
    vid = await variant_id(db, "TEE-0")
    # when
    async with db.write() as uow:
        level = await reservations.reserve(
            uow, None, variant_id=vid, location_id=s.downtown.id, quantity=3
        )
    # then
    assert (level.on_hand, level.reserved, level.available) == (5, 3, 1)
    with pytest.raises(InsufficientStock):
        async with db.write() as uow:
            await reservations.reserve(
                uow, None, variant_id=vid, location_id=s.downtown.id, quantity=2
            )
    assert (await level_of(db, vid, s.downtown.id) or {})["reserved"] == 3


async def test_releasing_gives_units_back_and_cannot_release_more_than_reserved(
    db: Database,
) -> None:
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5, reserved=2)
    vid = await variant_id(db, "TEE-0")
    async with db.write() as uow:
        level = await reservations.release(
            uow, None, variant_id=vid, location_id=s.downtown.id, quantity=2
        )
    assert (level.reserved, level.available) == (0, 5)
    with pytest.raises(InsufficientStock):
        async with db.write() as uow:
            await reservations.release(
                uow, None, variant_id=vid, location_id=s.downtown.id, quantity=1
            )


async def test_fulfilling_a_reservation_is_a_sale_in_the_ledger(db: Database) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5, reserved=2)
    vid = await variant_id(db, "TEE-0")
    # when
    async with db.write() as uow:
        level = await reservations.fulfil(
            uow,
            None,
            variant_id=vid,
            location_id=s.downtown.id,
            quantity=2,
            order_reference="ORDER-1",
        )
    # then
    assert (level.on_hand, level.reserved) == (3, 0)
    assert (await verify_ledger(db)).ok


async def test_a_returned_item_is_restocked_where_it_was_handed_in(db: Database) -> None:
    s = await shop(db)
    vid = await variant_id(db, "TEE-0")
    async with db.write() as uow:
        level = await reservations.restock_return(
            uow,
            None,
            variant_id=vid,
            location_id=s.plateau.id,
            quantity=1,
            return_reference="RETURN-7",
        )
    assert (level.on_hand, level.available) == (1, 1)
    assert (await verify_ledger(db)).ok


async def test_reserving_where_there_is_no_stock_level_is_refused(db: Database) -> None:
    s = await shop(db)
    vid = await variant_id(db, "TEE-0")
    with pytest.raises(InsufficientStock):
        async with db.write() as uow:
            await reservations.reserve(
                uow, None, variant_id=vid, location_id=s.plateau.id, quantity=1
            )


# One step of the property test: (operation, quantity).
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["receive", "adjust", "count", "reserve", "release", "fulfil"]),
        st.integers(min_value=-5, max_value=8),
    ),
    max_size=15,
)


async def _apply(db: Database, location: Location, vid: int, op: str, n: int) -> None:
    async with db.write() as uow:
        match op:
            case "receive":
                await service.receive(
                    uow, ADMIN, None, location_id=location.id, lines=[StockLine("TEE-0", n)]
                )
            case "adjust":
                await service.adjust(
                    uow,
                    ADMIN,
                    None,
                    location_id=location.id,
                    sku="TEE-0",
                    delta=n,
                    reason="property",
                )
            case "count":
                await service.count(
                    uow, ADMIN, None, location_id=location.id, sku="TEE-0", quantity=n
                )
            case "reserve":
                await reservations.reserve(
                    uow, None, variant_id=vid, location_id=location.id, quantity=n
                )
            case "release":
                await reservations.release(
                    uow, None, variant_id=vid, location_id=location.id, quantity=n
                )
            case _:
                await reservations.fulfil(
                    uow,
                    None,
                    variant_id=vid,
                    location_id=location.id,
                    quantity=n,
                    order_reference="ORDER",
                )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=OPERATIONS)
async def test_any_sequence_of_changes_keeps_stock_consistent(
    db: Database, steps: list[tuple[str, int]]
) -> None:
    # given
    await truncate_all(db)
    s = await shop(db, skus=1)
    vid = await variant_id(db, "TEE-0")
    # when: every step either applies whole or is refused with a domain error
    for op, n in steps:
        with contextlib.suppress(DomainError):
            await _apply(db, s.downtown, vid, op, n)
    # then
    level = await level_of(db, vid, s.downtown.id) or {"on_hand": 0, "reserved": 0}
    assert 0 <= level["reserved"] <= level["on_hand"]
    assert (await verify_ledger(db)).ok
