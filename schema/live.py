"""Live updates for subscriptions: broker messages of a topic, for as long as the viewer keeps
the right to them.

A subscription outlives the request that authorised it, so each message is checked against
the viewer (`allowed`), and the viewer's credentials are checked again every
`subscription_recheck_seconds`: a revoked token or key ends the subscription with
UNAUTHENTICATED. The broker is Redis pub/sub when REDIS_URL is set, so a change committed by
any worker reaches subscribers on every worker.

    async for message in live_messages(info, "order.status_changed",
                                       allowed=lambda viewer, m: may_see(viewer, m)):
        yield OrderStatusChange.from_message(message)
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

from app.auth.viewer import Viewer
from app.events.broker import Broker, Message, create_broker
from schema.context import Context, Info
from schema.errors import ApiError

_BROKER = "events.broker"
REVALIDATE = "viewer.revalidate"

Revalidate = Callable[[], Awaitable[Viewer]]


def broker(ctx: Context) -> Broker:
    """The application's broker (one per app instance, made by `create_app`)."""
    found: Broker | None = ctx.extras.get(_BROKER)
    if found is None:
        app = ctx.request.scope.get("app") if ctx.request is not None else None
        app_broker = getattr(app.state, "broker", None) if app is not None else None
        found = app_broker or create_broker(ctx.settings.redis_url, ctx.settings.events_prefix)
        ctx.extras[_BROKER] = found
    return found


async def _still_valid(ctx: Context) -> bool:
    revalidate: Revalidate | None = ctx.extras.get(REVALIDATE)
    if revalidate is None or ctx.viewer.is_anonymous:
        return True
    return await revalidate() == ctx.viewer


async def live_messages(
    info: Info, topic: str, *, allowed: Callable[[Viewer, Message], bool] | None = None
) -> AsyncIterator[Message]:
    ctx = info.context
    interval = ctx.settings.subscription_recheck_seconds
    next_check = time.monotonic() + interval
    async with broker(ctx).subscribe(topic) as messages:
        async for message in messages:
            if time.monotonic() >= next_check:
                if not await _still_valid(ctx):
                    raise ApiError("The credentials of this subscription were revoked or "
                                   "expired", "UNAUTHENTICATED")  # fmt: skip
                next_check = time.monotonic() + interval
            if allowed is None or allowed(ctx.viewer, message):
                yield message
