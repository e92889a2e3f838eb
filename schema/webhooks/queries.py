from __future__ import annotations

import strawberry

from app.kit.pagination import PageRequest
from app.models.staff import StaffRole
from app.webhooks import service
from schema.context import Info
from schema.permissions import StaffRoles
from schema.relay import Connection, decode_id
from schema.webhooks.types import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription

Admin = StaffRoles(StaffRole.ADMIN)


@strawberry.type
class WebhookQuery:
    @strawberry.field(permission_classes=[Admin], description="Every webhook subscription.")
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        rows = await service.subscriptions(info.context.db, info.context.viewer)
        return [WebhookSubscription.from_row(r) for r in rows]

    @strawberry.field(
        permission_classes=[Admin],
        description="Webhook deliveries, newest first: what was sent, to whom, and how it went.",
    )
    async def webhook_deliveries(
        self,
        info: Info,
        status: WebhookDeliveryStatus | None = None,
        subscription_id: strawberry.ID | None = None,
        event_type: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WebhookDelivery]:
        ctx = info.context
        subscription_pk = (
            decode_id(subscription_id, "WebhookSubscription", "subscriptionId")
            if subscription_id
            else None
        )
        page = await service.delivery_page(
            ctx.db, ctx.viewer, PageRequest(first, after, last, before),
            status=status.value if status else None, subscription_id=subscription_pk,
            event_name=event_type, default_size=ctx.settings.page_size_default,
            max_size=ctx.settings.page_size_max,
        )  # fmt: skip
        nodes = [WebhookDelivery.from_view(v) for v in page.items]
        return Connection[WebhookDelivery].from_page(page, nodes)
