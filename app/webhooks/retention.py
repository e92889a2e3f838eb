"""Keeping the outbox small: events whose deliveries are all settled leave after a while."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, exists, select

from app.database import Database
from app.kit.clock import utcnow
from app.models.events import DeliveryStatus, OutboxEvent, WebhookDelivery


async def prune_outbox(db: Database, older_than: timedelta) -> int:
    """Delete events fanned out before `older_than` ago with no delivery still pending; their
    deliveries go with them. Aggregates keep their sequence counters, so numbering goes on."""
    cutoff = utcnow() - older_than
    pending = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.event_id == OutboxEvent.id,
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
        )
        .correlate(OutboxEvent)
    )
    async with db.write() as uow:
        result = await uow.session.execute(
            delete(OutboxEvent).where(OutboxEvent.fanned_out_at < cutoff, ~exists(pending))
        )
    return int(getattr(result, "rowcount", 0) or 0)
