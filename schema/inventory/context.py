"""Per-request inventory data kept on the context: locations, pools and the event broker."""

from __future__ import annotations

from app.config import Settings
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
    """The application's broker: one per app instance, made on first use from the settings.

    It lives on the Starlette app's state so that every request and subscription of one
    instance share it, while two instances (two worker processes) each have their own.
    """
    found: Broker | None = ctx.extras.get(_BROKER)
    if found is not None:
        return found
    request = ctx.request
    if request is not None and "app" in request.scope:
        state = request.app.state
        found = getattr(state, "broker", None)
        if found is None:
            found = _new_broker(ctx.settings)
            state.broker = found
    else:
        # Executed outside a server (a script): nobody can be subscribed to this instance.
        found = _new_broker(ctx.settings)
    ctx.extras[_BROKER] = found
    return found


def _new_broker(settings: Settings) -> Broker:
    return create_broker(settings.redis_url, settings.events_prefix)
