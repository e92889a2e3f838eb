"""Telling subscribers about stock changes, only once the change has committed, and recording
them in the outbox for webhooks, in the change's own transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.database import UnitOfWork
from app.events import outbox
from app.events.broker import Broker
from app.inventory.views import StockChange

log = logging.getLogger("omnigraph.inventory")

TOPIC = "inventory.changed"


def _final(changes: Sequence[StockChange]) -> list[StockChange]:
    # Several changes to one level in a transaction count as its final state.
    return list({(c.level.variant_id, c.level.location_id): c for c in changes}.values())


async def record_changes(uow: UnitOfWork, changes: Sequence[StockChange]) -> None:
    """One `inventory.changed` outbox event per stock level changed by this unit of work."""
    for change in _final(changes):
        level = change.level
        await outbox.emit(
            uow.session, TOPIC, aggregate_id=f"{level.variant_id}:{level.location_id}",
            data=change.to_message(),
        )  # fmt: skip


def publish_after_commit(
    uow: UnitOfWork, broker: Broker | None, changes: Sequence[StockChange]
) -> None:
    if broker is None or not changes:
        return
    # Several changes to one level in a transaction reach subscribers as its final state.
    final = {(c.level.variant_id, c.level.location_id): c for c in changes}

    async def publish() -> None:
        try:
            for change in final.values():
                await broker.publish(TOPIC, change.to_message())
        except Exception:
            # The stock change is committed; a lost notification must not fail the request.
            log.exception("could not publish %d inventory changes", len(final))

    uow.after_commit(publish)
