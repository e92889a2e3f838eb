"""SQL for webhook subscriptions and deliveries, including the dispatcher's claims."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.models.events import (
    DeliveryStatus,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscription,
)

D = WebhookDelivery
DELIVERY = WebhookDelivery.__table__.c
EVENT = OutboxEvent.__table__.c
PENDING = DeliveryStatus.PENDING.value


async def events_to_fan_out(session: AsyncSession, limit: int) -> list[OutboxEvent]:
    stmt = (
        select(OutboxEvent)
        .where(OutboxEvent.fanned_out_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Two dispatchers fan out different events instead of waiting on each other.
        stmt = stmt.with_for_update(skip_locked=True)
    return list((await session.execute(stmt)).scalars())


async def active_subscriptions(session: AsyncSession) -> list[WebhookSubscription]:
    stmt = select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    return list((await session.execute(stmt)).scalars())


def _due(now: datetime) -> Select[Any]:
    earlier = aliased(WebhookDelivery)
    # Only the first undelivered event of an aggregate may go: later ones wait for it, so an
    # endpoint sees each aggregate's events in sequence order.
    blocked = exists().where(
        earlier.subscription_id == D.subscription_id,
        earlier.aggregate_type == D.aggregate_type,
        earlier.aggregate_id == D.aggregate_id,
        earlier.status == PENDING,
        earlier.sequence < D.sequence,
    )
    # With several dispatchers, an aggregate's earlier event may still be waiting for its
    # fan-out while a later one already has its delivery: that one waits too.
    unfanned = exists().where(
        OutboxEvent.aggregate_type == D.aggregate_type,
        OutboxEvent.aggregate_id == D.aggregate_id,
        OutboxEvent.sequence < D.sequence,
        OutboxEvent.fanned_out_at.is_(None),
    )
    # A deactivated endpoint's deliveries stay pending, unsent, for as long as the outbox keeps
    # their events.
    active = exists().where(
        WebhookSubscription.id == D.subscription_id, WebhookSubscription.active.is_(True)
    )
    return (
        select(D.id)
        .where(
            D.status == PENDING,
            active,
            D.next_attempt_at <= now,
            or_(D.leased_until.is_(None), D.leased_until < now),
            ~blocked,
            ~unfanned,
        )
        .order_by(D.id)
    )


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, limit: int
) -> list[int]:
    """Lease up to `limit` deliveries that are due; returns the ids this dispatcher holds."""
    candidates = list((await session.execute(_due(now).limit(limit))).scalars())
    if not candidates:
        return []
    # The lease is taken by a conditional update: of two dispatchers, one wins each row.
    result = await session.execute(
        update(D)
        .where(
            D.id.in_(candidates),
            D.status == PENDING,
            or_(D.leased_until.is_(None), D.leased_until < now),
        )
        .values(leased_until=lease_until)
        .returning(D.id)
    )
    return sorted(result.scalars())


async def deliveries_with_targets(
    session: AsyncSession, ids: Sequence[int]
) -> list[tuple[WebhookDelivery, OutboxEvent, WebhookSubscription]]:
    rows = await session.execute(
        select(D, OutboxEvent, WebhookSubscription)
        .join(OutboxEvent, OutboxEvent.id == D.event_id)
        .join(WebhookSubscription, WebhookSubscription.id == D.subscription_id)
        .where(D.id.in_(list(ids)))
        .order_by(D.id)
    )
    return [(d, e, s) for d, e, s in rows]


def delivery_filter(
    status: str | None, subscription_id: int | None, event_name: str | None
) -> Select[Any]:
    c, e = DELIVERY, EVENT
    stmt = select(
        c.id, c.subscription_id, c.status, c.attempts, c.next_attempt_at, c.last_attempt_at,
        c.last_status_code, c.last_error, c.delivered_at, c.created_at, c.sequence,
        c.aggregate_type, c.aggregate_id, e.event_id.label("event_uuid"),
        e.name.label("event_name"), e.payload, e.occurred_at,
    ).join_from(WebhookDelivery.__table__, OutboxEvent.__table__, e.id == c.event_id)  # fmt: skip
    conditions = []
    if status is not None:
        conditions.append(c.status == status)
    if subscription_id is not None:
        conditions.append(c.subscription_id == subscription_id)
    if event_name is not None:
        conditions.append(e.name == event_name)
    return stmt.where(and_(*conditions)) if conditions else stmt
