"""Promising stock to orders, for checkout, order import and fulfilment to call.

A reservation does not move stock, so it writes no ledger movement: it raises `reserved`,
which lowers `available`. Units leave on-hand (and the ledger records a SALE) only when the
order is fulfilled. Which order holds which reservation is the orders domain's record; this
module keeps the counters honest under any interleaving of requests.
"""

from __future__ import annotations

from app.database import UnitOfWork
from app.events.broker import Broker
from app.inventory import repository
from app.inventory.errors import InsufficientStock
from app.inventory.events import publish_after_commit, record_changes
from app.inventory.rules import MAX_REFERENCE, check_quantity, check_text, location_for_change
from app.inventory.views import StockChange, StockLevelView
from app.models.inventory import MovementKind


async def _publish(
    uow: UnitOfWork, broker: Broker | None, level: StockLevelView, location_code: str
) -> None:
    skus = await repository.skus_of_variants(uow.session, [level.variant_id])
    changes = [StockChange(skus[level.variant_id], level, location_code)]
    publish_after_commit(uow, broker, changes)
    await record_changes(uow, changes)


async def reserve(
    uow: UnitOfWork, broker: Broker | None, *, variant_id: int, location_id: int, quantity: int
) -> StockLevelView:
    """Hold `quantity` available units for an order, or refuse: never more than available."""
    check_quantity(quantity, "quantity")
    location = await location_for_change(uow.session, None, location_id, "locationId")
    level = await repository.shift(
        uow.session, variant_id, location_id, reserved=quantity, within_available=True
    )
    if level is None:
        raise InsufficientStock(
            f"Fewer than {quantity} units are available at {location.code}", field="quantity"
        )
    await _publish(uow, broker, level, location.code)
    return level


async def release(
    uow: UnitOfWork, broker: Broker | None, *, variant_id: int, location_id: int, quantity: int
) -> StockLevelView:
    """Give reserved units back to sale (a cancelled or rerouted order)."""
    check_quantity(quantity, "quantity")
    location = await location_for_change(
        uow.session, None, location_id, "locationId", winding_down=True
    )
    level = await repository.shift(uow.session, variant_id, location_id, reserved=-quantity)
    if level is None:
        raise InsufficientStock(
            f"Fewer than {quantity} units are reserved at {location.code}", field="quantity"
        )
    await _publish(uow, broker, level, location.code)
    return level


async def fulfil(
    uow: UnitOfWork,
    broker: Broker | None,
    *,
    variant_id: int,
    location_id: int,
    quantity: int,
    order_reference: str,
) -> StockLevelView:
    """Reserved units leave the building: on-hand and reserved both drop, the ledger says SALE."""
    check_quantity(quantity, "quantity")
    reference = check_text(order_reference, MAX_REFERENCE, "orderReference")
    location = await location_for_change(
        uow.session, None, location_id, "locationId", winding_down=True
    )
    level = await repository.shift(
        uow.session, variant_id, location_id, on_hand=-quantity, reserved=-quantity
    )
    if level is None:
        raise InsufficientStock(
            f"Fewer than {quantity} units are reserved at {location.code}", field="quantity"
        )
    repository.add_movement(
        uow.session, level, MovementKind.SALE, -quantity, reference_type="ORDER",
        reference_id=reference,
    )  # fmt: skip
    await _publish(uow, broker, level, location.code)
    return level


async def restock_return(
    uow: UnitOfWork,
    broker: Broker | None,
    *,
    variant_id: int,
    location_id: int,
    quantity: int,
    return_reference: str,
) -> StockLevelView:
    """Returned units go back on the shelf where they were handed in, sellable at once."""
    check_quantity(quantity, "quantity")
    reference = check_text(return_reference, MAX_REFERENCE, "returnReference")
    location = await location_for_change(uow.session, None, location_id, "locationId")
    await repository.ensure_levels(uow.session, [(variant_id, location_id)])
    level = await repository.shift(uow.session, variant_id, location_id, on_hand=quantity)
    if level is None:  # pragma: no cover - adding stock cannot break the guard
        raise InsufficientStock("The stock level changed underneath", field="quantity")
    repository.add_movement(
        uow.session, level, MovementKind.RETURN_RESTOCK, quantity, reference_type="RETURN",
        reference_id=reference,
    )  # fmt: skip
    await _publish(uow, broker, level, location.code)
    return level
