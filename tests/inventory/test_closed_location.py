from __future__ import annotations

import pytest
from sqlalchemy import update

from app.database import Database
from app.inventory import reservations
from app.inventory.errors import LocationClosed
from app.models.location import Location, LocationStatus
from tests.factories.inventory import stock, variant_id
from tests.inventory.helpers import shop


async def test_reserved_units_at_a_closed_store_can_still_be_released_or_shipped(
    db: Database,
) -> None:
    # given a store with reserved units that then closes for good
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5, reserved=3)
    vid = await variant_id(db, "TEE-0")
    async with db.write() as uow:
        await uow.session.execute(
            update(Location)
            .where(Location.id == s.downtown.id)
            .values(status=LocationStatus.CLOSED)
        )
    # when / then: nothing new is reserved there, but what was committed can be settled
    with pytest.raises(LocationClosed):
        async with db.write() as uow:
            await reservations.reserve(uow, None, variant_id=vid, location_id=s.downtown.id,
                                       quantity=1)  # fmt: skip
    async with db.write() as uow:
        released = await reservations.release(uow, None, variant_id=vid,
                                              location_id=s.downtown.id, quantity=1)  # fmt: skip
        shipped = await reservations.fulfil(uow, None, variant_id=vid, location_id=s.downtown.id,
                                            quantity=2, order_reference="ORDER-1")  # fmt: skip
    assert released.reserved == 2
    assert (shipped.on_hand, shipped.reserved) == (3, 0)
