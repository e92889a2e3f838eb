from __future__ import annotations

import strawberry

from app.database import UnitOfWork
from app.webhooks import service
from app.webhooks.service import CreatedSubscription
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.relay import decode_id
from schema.webhooks.queries import Admin
from schema.webhooks.types import WebhookSubscription


@strawberry.input
class WebhookSubscriptionCreateInput:
    url: str
    events: list[str] = strawberry.field(description='Event types, or "*" for all of them.')
    description: str = ""


@strawberry.type
class WebhookSubscriptionCreatePayload:
    subscription: WebhookSubscription | None
    secret: str | None = strawberry.field(
        description="Signs every delivery (X-Omnigraph-Signature); shown only here, once."
    )
    user_errors: list[UserError]


@strawberry.type
class WebhookSubscriptionPayload:
    subscription: WebhookSubscription | None
    user_errors: list[UserError]


@strawberry.type
class WebhookDeliveryReplayPayload:
    delivery_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(permission_classes=[Admin])
    async def webhook_subscription_create(
        self, info: Info, input: WebhookSubscriptionCreateInput
    ) -> WebhookSubscriptionCreatePayload:
        viewer = info.context.viewer

        async def create(uow: UnitOfWork) -> CreatedSubscription:
            return await service.create_subscription(
                uow.session, viewer, url=input.url, events=input.events,
                description=input.description,
            )  # fmt: skip

        created, errors = await perform(info, create)
        if created is None:
            return WebhookSubscriptionCreatePayload(subscription=None, secret=None,
                                                    user_errors=errors)  # fmt: skip
        return WebhookSubscriptionCreatePayload(
            subscription=WebhookSubscription.from_row(created.subscription),
            secret=created.secret, user_errors=[],
        )  # fmt: skip

    @strawberry.mutation(permission_classes=[Admin], description="Stop delivering to an endpoint.")
    async def webhook_subscription_deactivate(
        self, info: Info, id: strawberry.ID
    ) -> WebhookSubscriptionPayload:
        pk = decode_id(id, "WebhookSubscription")
        viewer = info.context.viewer

        async def deactivate(uow: UnitOfWork) -> WebhookSubscription:
            row = await service.deactivate_subscription(uow.session, viewer, pk)
            return WebhookSubscription.from_row(row)

        subscription, errors = await perform(info, deactivate)
        return WebhookSubscriptionPayload(subscription=subscription, user_errors=errors)

    @strawberry.mutation(
        permission_classes=[Admin],
        description="Deliver again, from the first attempt (same event id, for deduplication).",
    )
    async def webhook_delivery_replay(
        self, info: Info, id: strawberry.ID
    ) -> WebhookDeliveryReplayPayload:
        pk = decode_id(id, "WebhookDelivery")
        viewer = info.context.viewer

        async def replay(uow: UnitOfWork) -> strawberry.ID:
            await service.replay_delivery(uow.session, viewer, pk)
            return id

        delivery_id, errors = await perform(info, replay)
        return WebhookDeliveryReplayPayload(delivery_id=delivery_id, user_errors=errors)
