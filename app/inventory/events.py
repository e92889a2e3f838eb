"""Telling subscribers about stock changes, only once the change has committed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.database import UnitOfWork
from app.events.broker import Broker
from app.inventory.views import StockChange

log = logging.getLogger("omnigraph.inventory")

TOPIC = "inventory.changed"


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
