"""Per-request inventory data kept on the context: locations, pools and the event broker."""

from __future__ import annotations

from app.events.broker import Broker, create_broker
from app.inventory import pool_repository
from app.inventory.views import ChannelPool
from app.locations import repository as location_repository
from app.locations.views import LocationView
from schema.context import Context

_LOCATIONS = "inventory.locations"
_POOLS = "inventory.pools"
_BROKER = "events.broker"


async def locations(ctx: Context) -> dict[int, LocationView]:
    """Every location, loaded at most once per request (there are tens to hundreds)."""
    found: dict[int, LocationView] | None = ctx.extras.get(_LOCATIONS)
    if found is None:
        found = ctx.extras[_LOCATIONS] = await location_repository.all_locations(ctx.db)
    return found


async def pools(ctx: Context) -> dict[int, ChannelPool]:
    found: dict[int, ChannelPool] | None = ctx.extras.get(_POOLS)
    if found is None:
        found = ctx.extras[_POOLS] = await pool_repository.all_pools(ctx.db)
    return found


def broker(ctx: Context) -> Broker:
    """The application's broker (one per app instance, made by `create_app`); outside a server
    (a script) nobody can be subscribed, so a private one serves that context."""
    found: Broker | None = ctx.extras.get(_BROKER)
    if found is None:
        app = ctx.request.scope.get("app") if ctx.request is not None else None
        app_broker = getattr(app.state, "broker", None) if app is not None else None
        found = app_broker or create_broker(ctx.settings.redis_url, ctx.settings.events_prefix)
        ctx.extras[_BROKER] = found
    return found
