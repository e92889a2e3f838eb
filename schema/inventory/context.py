"""The event broker of a request's application (kept for resolvers that publish or listen)."""

from __future__ import annotations

from app.events.broker import Broker
from schema.context import Context


def broker(ctx: Context) -> Broker:
    return ctx.broker()
