"""Moving stock between locations: out of the source at once, into the destination's
`incoming` until it is received there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from app.auth.viewer import Viewer
from app.database import UnitOfWork
from app.events.broker import Broker
from app.inventory import repository, transfer_repository
from app.inventory.errors import (
    InsufficientStock,
    NotOnTransfer,
    OverReceipt,
    SameLocation,
    TransferClosed,
    UnknownTransfer,
)
from app.inventory.events import publish_after_commit, record_changes
from app.inventory.rules import (
    MAX_REFERENCE,
    StockLine,
    check_quantity,
    check_text,
    location_for_change,
    resolve_lines,
)
from app.inventory.views import StockChange
from app.kit.clock import utcnow
from app.models.inventory import (
    InventoryTransfer,
    InventoryTransferLine,
    MovementKind,
    TransferStatus,
)

# Called inside the receipt's transaction with the transfer's id, its destination and the
# units received per variant: orders waiting for these units reserve them before anyone else
# can sell them.
ReceiveHook = Callable[[UnitOfWork, Broker | None, int, int, dict[int, int]], Awaitable[None]]
_RECEIVE_HOOKS: dict[str, ReceiveHook] = {}


def register_receive_hook(name: str, hook: ReceiveHook) -> Callable[[], None]:
    """Let another domain act on units arriving at a location; returns an unregister function."""
    if name in _RECEIVE_HOOKS:
        raise ValueError(f"A receive hook named {name!r} is already registered")
    _RECEIVE_HOOKS[name] = hook
    return lambda: _RECEIVE_HOOKS.pop(name, None) and None


async def create_transfer(
    uow: UnitOfWork,
    actor: Viewer | None,
    broker: Broker | None,
    *,
    from_location_id: int,
    to_location_id: int,
    lines: Sequence[StockLine],
    reference: str | None = None,
) -> int:
    """Ship units from one location to another; returns the transfer's id.

    Only unreserved units can leave: stock promised to orders stays where it is. `actor` is
    None when the system sends stock on its own (a pickup order routed from elsewhere).
    """
    staff_id = actor.staff_id if actor is not None else None
    session = uow.session
    if from_location_id == to_location_id:
        raise SameLocation("A transfer needs two different locations", field="toLocationId")
    source = await location_for_change(session, actor, from_location_id, "fromLocationId")
    # The destination only gains `incoming`; anyone who may ship from the source may send there.
    destination = await location_for_change(session, None, to_location_id, "toLocationId")
    resolved = await resolve_lines(session, lines)
    reference = check_text(reference, MAX_REFERENCE, "reference")
    transfer = InventoryTransfer(
        from_location_id=source.id, to_location_id=destination.id, reference=reference,
        created_by_id=staff_id, status=TransferStatus.IN_TRANSIT,
    )  # fmt: skip
    session.add(transfer)
    await session.flush()
    session.add_all(
        InventoryTransferLine(transfer_id=transfer.id, variant_id=r.variant_id,
                              quantity_sent=r.quantity, quantity_received=0)
        for r in resolved
    )  # fmt: skip
    await repository.ensure_levels(session, ((r.variant_id, destination.id) for r in resolved))
    index = {r.variant_id: i for i, r in enumerate(resolved)}
    changes = []
    steps = [(source, r) for r in resolved] + [(destination, r) for r in resolved]
    for location, line in sorted(steps, key=lambda s: (s[0].id, s[1].variant_id)):
        if location is source:
            level = await repository.shift(
                session, line.variant_id, source.id, on_hand=-line.quantity
            )
            if level is None:
                raise InsufficientStock(
                    f"{source.code} has fewer than {line.quantity} unreserved units of {line.sku}",
                    field=f"lines.{index[line.variant_id]}.quantity",
                )
            repository.add_movement(
                session, level, MovementKind.TRANSFER_OUT, -line.quantity,
                actor_staff_id=staff_id, reference_type="TRANSFER",
                reference_id=str(transfer.id), transfer_id=transfer.id,
            )  # fmt: skip
        else:
            level = await repository.shift(
                session, line.variant_id, destination.id, incoming=line.quantity
            )
            if level is None:  # pragma: no cover - adding incoming cannot break the guard
                raise InsufficientStock("The stock level changed underneath", field="lines")
        changes.append(StockChange(line.sku, level, location.code))
    await session.flush()
    publish_after_commit(uow, broker, changes)
    await record_changes(uow, changes)
    return transfer.id


async def receive_transfer(
    uow: UnitOfWork,
    actor: Viewer,
    broker: Broker | None,
    *,
    transfer_id: int,
    lines: Sequence[StockLine] | None = None,
) -> int:
    """Book units of a transfer in at its destination; without lines, all that is still due."""
    session = uow.session
    transfer = await transfer_repository.transfer_for_update(session, transfer_id)
    if transfer is None:
        raise UnknownTransfer("No such transfer", field="transferId")
    if transfer.status is TransferStatus.RECEIVED:
        raise TransferClosed("This transfer has been received in full", field="transferId")
    destination = await location_for_change(session, actor, transfer.to_location_id, "transferId")
    transfer_lines = await transfer_repository.transfer_lines(session, transfer.id)
    skus = await repository.skus_of_variants(session, [t.variant_id for t in transfer_lines])
    by_sku = {skus[t.variant_id]: t for t in transfer_lines}
    receipts: list[tuple[InventoryTransferLine, int]] = []
    if lines is None:
        receipts = [(t, t.quantity_sent - t.quantity_received) for t in transfer_lines]
        receipts = [(t, q) for t, q in receipts if q > 0]
    else:
        if not lines:
            raise NotOnTransfer("Give at least one line, or none to receive everything",
                                field="lines")  # fmt: skip
        seen: set[str] = set()
        for i, line in enumerate(lines):
            check_quantity(line.quantity, f"lines.{i}.quantity")
            target = by_sku.get(line.sku)
            if target is None:
                raise NotOnTransfer(f"{line.sku} is not on this transfer", field=f"lines.{i}.sku")
            if line.sku in seen:
                raise NotOnTransfer(f"{line.sku} is given twice", field=f"lines.{i}.sku")
            seen.add(line.sku)
            due = target.quantity_sent - target.quantity_received
            if line.quantity > due:
                raise OverReceipt(
                    f"Only {due} units of {line.sku} are still due on this transfer",
                    field=f"lines.{i}.quantity",
                )
            receipts.append((target, line.quantity))
    changes = []
    for target, quantity in sorted(receipts, key=lambda r: r[0].variant_id):
        level = await repository.shift(
            session, target.variant_id, destination.id, on_hand=quantity, incoming=-quantity
        )
        if level is None:  # pragma: no cover - incoming always covers what is due
            raise OverReceipt("Fewer units are incoming than this receipt", field="lines")
        target.quantity_received += quantity
        repository.add_movement(
            session, level, MovementKind.TRANSFER_IN, quantity, actor_staff_id=actor.staff_id,
            reference_type="TRANSFER", reference_id=str(transfer.id), transfer_id=transfer.id,
        )  # fmt: skip
        changes.append(StockChange(skus[target.variant_id], level, destination.code))
    complete = all(t.quantity_received == t.quantity_sent for t in transfer_lines)
    transfer.status = TransferStatus.RECEIVED if complete else TransferStatus.PARTIALLY_RECEIVED
    if complete:
        transfer.received_at = utcnow()
    await session.flush()
    received = {target.variant_id: quantity for target, quantity in receipts}
    for hook in list(_RECEIVE_HOOKS.values()):
        await hook(uow, broker, transfer.id, destination.id, received)
    publish_after_commit(uow, broker, changes)
    await record_changes(uow, changes)
    return transfer.id
