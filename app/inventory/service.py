"""Staff stock changes at one location: receipts, adjustments, stock counts, safety stock;
and the channels' stock pools.

Every change of on-hand writes one ledger movement carrying the level's new on-hand, in the
same transaction as the guarded UPDATE that made it.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.auth.viewer import Viewer
from app.database import UnitOfWork
from app.errors import Invalid
from app.events.broker import Broker
from app.inventory import pool_repository, repository
from app.inventory.errors import BelowReserved, InsufficientStock, ReasonRequired, StaleCount
from app.inventory.events import publish_after_commit, record_changes
from app.inventory.rules import (
    MAX_REASON,
    MAX_REFERENCE,
    StockLine,
    check_quantity,
    check_text,
    location_for_change,
    resolve_lines,
    variant_id_for,
)
from app.inventory.views import StockChange, StockLevelView
from app.locations import repository as location_repository
from app.models.inventory import MovementKind
from app.reference import cache as reference


async def receive(
    uow: UnitOfWork,
    actor: Viewer,
    broker: Broker | None,
    *,
    location_id: int,
    lines: Sequence[StockLine],
    reference: str | None = None,
    reason: str | None = None,
) -> list[StockLevelView]:
    """Book a delivery in: on-hand grows by each line's quantity."""
    session = uow.session
    location = await location_for_change(session, actor, location_id, "locationId")
    resolved = await resolve_lines(session, lines)
    reference = check_text(reference, MAX_REFERENCE, "reference")
    reason = check_text(reason, MAX_REASON, "reason")
    await repository.ensure_levels(session, ((r.variant_id, location.id) for r in resolved))
    levels, changes = [], []
    # Lock order (location, variant) everywhere, so concurrent multi-line changes never
    # wait on each other in a circle.
    for line in sorted(resolved, key=lambda r: r.variant_id):
        level = await repository.shift(session, line.variant_id, location.id, on_hand=line.quantity)
        if level is None:  # pragma: no cover - adding stock cannot break the guard
            raise InsufficientStock("The stock level changed underneath", field="lines")
        repository.add_movement(
            session, level, MovementKind.RECEIPT, line.quantity, reason=reason,
            actor_staff_id=actor.staff_id, reference_type="RECEIPT" if reference else None,
            reference_id=reference or None,
        )  # fmt: skip
        levels.append(level)
        changes.append(StockChange(line.sku, level, location.code))
    await session.flush()
    publish_after_commit(uow, broker, changes)
    await record_changes(uow, changes)
    by_variant = {lv.variant_id: lv for lv in levels}
    return [by_variant[r.variant_id] for r in resolved]


async def adjust(
    uow: UnitOfWork,
    actor: Viewer,
    broker: Broker | None,
    *,
    location_id: int,
    sku: str,
    delta: int,
    reason: str,
) -> StockLevelView:
    """Change on-hand by a signed amount (damage, theft, found units), with a reason."""
    session = uow.session
    location = await location_for_change(session, actor, location_id, "locationId")
    variant_id = await variant_id_for(session, sku)
    if delta == 0:
        raise Invalid("The change must not be zero", code="INVALID_QUANTITY", field="delta")
    check_quantity(abs(delta), "delta")
    reason = check_text(reason, MAX_REASON, "reason")
    if not reason:
        raise ReasonRequired("Say why the stock changes", field="reason")
    await repository.ensure_levels(session, [(variant_id, location.id)])
    level = await repository.shift(session, variant_id, location.id, on_hand=delta)
    if level is None:
        raise InsufficientStock(
            "That would take on-hand below zero or below the units reserved for orders",
            field="delta",
        )
    repository.add_movement(
        session, level, MovementKind.ADJUSTMENT, delta, reason=reason,
        actor_staff_id=actor.staff_id,
    )  # fmt: skip
    await session.flush()
    publish_after_commit(uow, broker, [StockChange(sku, level, location.code)])
    await record_changes(uow, [StockChange(sku, level, location.code)])
    return level


async def count(
    uow: UnitOfWork,
    actor: Viewer,
    broker: Broker | None,
    *,
    location_id: int,
    sku: str,
    quantity: int,
    expected_quantity: int | None = None,
    reason: str | None = None,
) -> StockLevelView:
    """Record a stock take: on-hand becomes the counted quantity.

    With `expected_quantity` (the on-hand the counter saw when the count began), a count made
    stale by sales or receipts in the meantime is refused rather than overwriting them.
    """
    session = uow.session
    location = await location_for_change(session, actor, location_id, "locationId")
    variant_id = await variant_id_for(session, sku)
    check_quantity(quantity, "quantity", allow_zero=True)
    if expected_quantity is not None:
        check_quantity(expected_quantity, "expectedQuantity", allow_zero=True)
    reason = check_text(reason, MAX_REASON, "reason") or "Stock count"
    await repository.ensure_levels(session, [(variant_id, location.id)])
    current = await repository.level_for_update(session, variant_id, location.id)
    if current is None:  # pragma: no cover - ensured just above
        raise StaleCount("The stock level is missing", field="sku")
    if expected_quantity is not None and current.on_hand != expected_quantity:
        raise StaleCount(
            f"On-hand is {current.on_hand}, not {expected_quantity}: stock moved since the "
            "count began; count again",
            field="expectedQuantity",
        )
    if quantity < current.reserved:
        raise BelowReserved(
            f"{current.reserved} units are reserved for orders; release or reroute them first",
            field="quantity",
        )
    level = await repository.set_on_hand(
        session, variant_id, location.id, quantity, current.on_hand
    )
    if level is None:  # pragma: no cover - the row is locked (or the database serialised)
        raise StaleCount("Stock moved during the count; count again", field="quantity")
    # A count that confirms the books is kept too: it dates the last physical check.
    repository.add_movement(
        session, level, MovementKind.STOCK_COUNT, quantity - current.on_hand, reason=reason,
        actor_staff_id=actor.staff_id,
    )  # fmt: skip
    await session.flush()
    publish_after_commit(uow, broker, [StockChange(sku, level, location.code)])
    await record_changes(uow, [StockChange(sku, level, location.code)])
    return level


async def set_safety_stock(
    uow: UnitOfWork,
    actor: Viewer,
    broker: Broker | None,
    *,
    location_id: int,
    sku: str,
    quantity: int,
) -> StockLevelView:
    """Units kept back from sale at a location (display pieces, a damaged-goods margin)."""
    session = uow.session
    location = await location_for_change(session, actor, location_id, "locationId")
    variant_id = await variant_id_for(session, sku)
    check_quantity(quantity, "quantity", allow_zero=True)
    await repository.ensure_levels(session, [(variant_id, location.id)])
    level = await repository.set_safety_stock(session, variant_id, location.id, quantity)
    if level is None:  # pragma: no cover - ensured just above
        raise InsufficientStock("The stock level is missing", field="sku")
    publish_after_commit(uow, broker, [StockChange(sku, level, location.code)])
    await record_changes(uow, [StockChange(sku, level, location.code)])
    return level


async def set_channel_pool(
    uow: UnitOfWork,
    channel_id: int,
    location_ids: Sequence[int],
    buffer: int,
    broker: Broker | None = None,
) -> None:
    """Make a channel sell from exactly these locations, holding `buffer` units back per SKU."""
    session = uow.session
    check_quantity(buffer, "buffer", allow_zero=True)
    unique = list(dict.fromkeys(location_ids))
    found = await location_repository.locations_in(session, unique)
    for i, location_id in enumerate(location_ids):
        if location_id not in found:
            raise Invalid("No such location", code="UNKNOWN_LOCATION", field=f"locationIds.{i}")
    await pool_repository.replace_pool(session, channel_id, unique, buffer)
    reference.changed(uow, broker)
