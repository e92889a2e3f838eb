"""Figures for monitoring: how far the outbox is behind, deliveries by status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select

from app.database import Database
from app.kit.clock import utcnow
from app.models.events import OutboxEvent, WebhookDelivery


@dataclass(frozen=True, slots=True)
class OutboxHealth:
    pending_events: int
    lag_seconds: float
    deliveries: dict[str, int]


async def outbox_health(db: Database) -> OutboxHealth:
    async with db.read() as conn:
        pending, oldest = (
            await conn.execute(
                select(func.count(), func.min(OutboxEvent.occurred_at)).where(
                    OutboxEvent.fanned_out_at.is_(None)
                )
            )
        ).one()
        by_status = await conn.execute(
            select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
        )
        deliveries = {str(status): int(count) for status, count in by_status}
    if oldest is not None and oldest.tzinfo is None:
        # SQLite hands back naive values for aggregates; they are UTC.
        oldest = oldest.replace(tzinfo=UTC)
    lag = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    return OutboxHealth(int(pending), max(lag, 0.0), deliveries)
