"""Webhook subscriptions and deliveries, as staff see them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from app.models.events import WebhookSubscription as SubscriptionRow
from app.webhooks.service import DeliveryView
from schema.relay import to_global_id


@strawberry.enum
class WebhookDeliveryStatus(Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"


@strawberry.type
class WebhookSubscription:
    id: strawberry.ID
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: SubscriptionRow) -> WebhookSubscription:
        return cls(
            id=strawberry.ID(to_global_id("WebhookSubscription", row.id)), url=row.url,
            events=list(row.events), description=row.description, active=row.active,
            created_at=row.created_at,
        )  # fmt: skip


@strawberry.type(description="One event's delivery to one endpoint, with its attempts so far.")
class WebhookDelivery:
    id: strawberry.ID
    subscription_id: strawberry.ID
    event_id: str = strawberry.field(description="Stable across retries and replays.")
    event_type: str
    aggregate_type: str
    aggregate_id: str
    sequence: int = strawberry.field(description="The event's number within its aggregate.")
    payload: JSON
    occurred_at: datetime
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None

    @classmethod
    def from_view(cls, view: DeliveryView) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(to_global_id("WebhookDelivery", view.id)),
            subscription_id=strawberry.ID(
                to_global_id("WebhookSubscription", view.subscription_id)
            ),
            event_id=view.event_id, event_type=view.event_name,
            aggregate_type=view.aggregate_type, aggregate_id=view.aggregate_id,
            sequence=view.sequence, payload=JSON(view.payload), occurred_at=view.occurred_at,
            status=WebhookDeliveryStatus(view.status), attempts=view.attempts,
            next_attempt_at=view.next_attempt_at, last_attempt_at=view.last_attempt_at,
            last_status_code=view.last_status_code, last_error=view.last_error,
            delivered_at=view.delivered_at,
        )  # fmt: skip
