"""Webhook subscriptions and deliveries for staff: create, list, deactivate, replay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import ensure_staff
from app.auth.viewer import Viewer
from app.database import Database
from app.errors import Invalid, NotFound
from app.events.catalog import ALL_EVENTS, EVENT_TYPES
from app.kit.clock import utcnow
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.models.events import DeliveryStatus, WebhookDelivery, WebhookSubscription
from app.models.staff import StaffRole
from app.webhooks import repository
from app.webhooks.signing import new_secret


@dataclass(frozen=True, slots=True)
class CreatedSubscription:
    subscription: WebhookSubscription
    secret: str


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    subscription_id: int
    event_id: str
    event_name: str
    aggregate_type: str
    aggregate_id: str
    sequence: int
    payload: dict[str, Any]
    occurred_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


def _check_url(url: str) -> str:
    url = url.strip()
    # Parsed the way the dispatcher's HTTP client will parse it, so an address it accepts here
    # (a bad port, an unclosed IPv6 bracket) cannot fail every delivery later.
    try:
        parsed = httpx.URL(url)
        valid = parsed.scheme in ("http", "https") and bool(parsed.host)
        if parsed.port is not None and not 0 < parsed.port < 65536:
            valid = False
    except (httpx.InvalidURL, ValueError, TypeError):
        valid = False
    if not valid or len(url) > 2000:
        raise Invalid("An endpoint is an http(s) URL", code="INVALID_URL", field="url")
    return url


def _check_events(events: Sequence[str]) -> list[str]:
    if not events:
        raise Invalid("Subscribe to at least one event", code="EVENTS_REQUIRED", field="events")
    unknown = sorted(set(events) - EVENT_TYPES.keys() - {ALL_EVENTS})
    if unknown:
        raise Invalid(
            f"Unknown events: {', '.join(unknown)}; known: {', '.join(sorted(EVENT_TYPES))}",
            code="UNKNOWN_EVENT", field="events",
        )  # fmt: skip
    return sorted(set(events))


async def create_subscription(
    session: AsyncSession, viewer: Viewer, *, url: str, events: Sequence[str], description: str = ""
) -> CreatedSubscription:
    ensure_staff(viewer, StaffRole.ADMIN)
    if len(description) > 500:
        raise Invalid("At most 500 characters", code="TOO_LONG", field="description")
    secret = new_secret()
    subscription = WebhookSubscription(
        url=_check_url(url), events=_check_events(events), secret=secret,
        description=description.strip(), created_by_staff_id=viewer.staff_id,
    )  # fmt: skip
    session.add(subscription)
    await session.flush()
    return CreatedSubscription(subscription, secret)


async def deactivate_subscription(
    session: AsyncSession, viewer: Viewer, subscription_id: int
) -> WebhookSubscription:
    ensure_staff(viewer, StaffRole.ADMIN)
    subscription = await session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound("No such webhook subscription", field="id")
    subscription.active = False
    await session.flush()
    return subscription


async def subscriptions(db: Database, viewer: Viewer) -> list[WebhookSubscription]:
    ensure_staff(viewer, StaffRole.ADMIN)
    async with db.sessionmaker() as session:
        rows = await session.execute(select(WebhookSubscription).order_by(WebhookSubscription.id))
        return list(rows.scalars())


async def replay_delivery(
    session: AsyncSession, viewer: Viewer, delivery_id: int
) -> WebhookDelivery:
    """Send a delivery again from scratch (a dead one, or a delivered one the receiver lost).
    The event keeps its id, so a receiver that has it already can drop the copy."""
    ensure_staff(viewer, StaffRole.ADMIN)
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound("No such webhook delivery", field="id")
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.leased_until = None
    delivery.delivered_at = None
    await session.flush()
    return delivery


async def delivery_page(
    db: Database,
    viewer: Viewer,
    page: PageRequest,
    *,
    status: str | None,
    subscription_id: int | None,
    event_name: str | None,
    default_size: int,
    max_size: int,
) -> Page[DeliveryView]:
    """Deliveries newest first."""
    ensure_staff(viewer, StaffRole.ADMIN)
    stmt = repository.delivery_filter(status, subscription_id, event_name)
    order = [SortColumn(repository.DELIVERY.id, "id", descending=True)]
    return await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size, build=_view
    )


def _view(row: Any) -> DeliveryView:
    m = row._mapping
    return DeliveryView(
        id=m["id"], subscription_id=m["subscription_id"], event_id=m["event_uuid"],
        event_name=m["event_name"], aggregate_type=m["aggregate_type"],
        aggregate_id=m["aggregate_id"], sequence=m["sequence"], payload=m["payload"],
        occurred_at=m["occurred_at"], status=m["status"], attempts=m["attempts"],
        next_attempt_at=m["next_attempt_at"], last_attempt_at=m["last_attempt_at"],
        last_status_code=m["last_status_code"], last_error=m["last_error"],
        delivered_at=m["delivered_at"],
    )  # fmt: skip
