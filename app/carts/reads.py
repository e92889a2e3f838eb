"""Reading carts: by ID or as a customer's cart, with the reader's rights applied here."""

from __future__ import annotations

from app.auth.viewer import Viewer
from app.carts import checks, repository
from app.carts.access import can_use_cart, not_found
from app.carts.errors import CartExpired
from app.carts.views import CartRead, CartView, channel_group
from app.channels.service import ChannelDirectory
from app.channels.views import ChannelView
from app.config import Settings
from app.database import Database
from app.kit.clock import utcnow
from app.locations import repository as location_repository
from app.locations.views import LocationView
from app.models.cart import CartStatus, DeliveryMethod
from app.pricing import repository as pricing_repository
from app.pricing.repository import Conn
from app.pricing.service import CartLineInput, price_cart_lines
from app.pricing.views import TaxRule

# A merged cart points at its survivor, which may itself have been merged since.
MAX_MERGE_HOPS = 10


async def resolve_token(db: Database, token: str) -> CartView | None:
    """The cart a token names, following merges to the surviving cart."""
    cart = await repository.cart_by_token(db, token)
    hops = 0
    while cart is not None and cart.status is CartStatus.MERGED and hops < MAX_MERGE_HOPS:
        if cart.merged_into_id is None:
            return None
        cart = await repository.cart_by_id(db, cart.merged_into_id)
        hops += 1
    return cart


async def cart_for(
    db: Database, settings: Settings, viewer: Viewer, token: str, channels: ChannelDirectory
) -> CartRead:
    """The cart for `token` as `viewer` may see it; someone else's is NOT_FOUND."""
    cart = await resolve_token(db, token.strip())
    if cart is None or not can_use_cart(viewer, cart.customer_id, cart.location_id):
        raise not_found()
    if cart.expired(settings, utcnow()):
        raise CartExpired("This cart expired; start a new one", field="cartId")
    return await read_model(db, settings, cart, channels)


async def customer_cart(
    db: Database,
    settings: Settings,
    viewer: Viewer,
    customer_id: int,
    channel: ChannelView,
    channels: ChannelDirectory,
) -> CartRead | None:
    """The customer's active cart for the channel's group (web and app share one)."""
    carts = await repository.active_carts_of(db, [customer_id], channel_group(channel.kind))
    cart = carts.get(customer_id)
    if cart is None or not can_use_cart(viewer, cart.customer_id, cart.location_id):
        return None
    if cart.expired(settings, utcnow()):
        return None
    return await read_model(db, settings, cart, channels)


async def tax_rule_for(conn: Conn, cart: CartView, store: LocationView | None) -> TaxRule:
    country: str | None = None
    region: str | None = None
    if cart.delivery_method is DeliveryMethod.SHIPPING and cart.shipping_address:
        country = cart.shipping_address.get("countryCode")
        region = cart.shipping_address.get("region")
    elif cart.delivery_method is DeliveryMethod.PICKUP and store is not None:
        country, region = store.country_code, store.region
    elif cart.country_code:
        country, region = cart.country_code, ""
    return await pricing_repository.tax_rule(conn, cart.channel_id, country, region)


def shipping_terms(settings: Settings, cart: CartView) -> tuple[int, int] | None:
    if cart.delivery_method is DeliveryMethod.PICKUP:
        return (0, 0)
    if cart.delivery_method is DeliveryMethod.SHIPPING:
        rate = settings.shipping_rates_minor.get(cart.currency_code, 0)
        free_from = settings.free_shipping_thresholds_minor.get(cart.currency_code)
        return (rate, free_from if free_from is not None else 2**62)
    return None


async def read_model(
    db: Database, settings: Settings, cart: CartView, channels: ChannelDirectory
) -> CartRead:
    channel = channels.by_id(cart.channel_id)
    if channel is None:  # pragma: no cover - carts are deleted with their channel
        raise not_found()
    lines = await repository.lines_of(db, cart.id)
    store = None
    if cart.delivery_method is DeliveryMethod.PICKUP and cart.pickup_location_id is not None:
        store = (await location_repository.all_locations(db)).get(cart.pickup_location_id)
    async with db.read() as conn:
        pricing = await price_cart_lines(
            conn,
            channel_id=cart.channel_id,
            currency_code=cart.currency_code,
            customer_id=cart.customer_id,
            lines=[CartLineInput(ln.id, ln.variant_id, ln.quantity) for ln in lines],
            codes=cart.discount_codes,
            tax=await tax_rule_for(conn, cart, store),
            shipping=shipping_terms(settings, cart),
            at=utcnow(),
        )
    available = await checks.available_units(db, cart, [ln.variant_id for ln in lines])
    return CartRead(
        cart=cart,
        channel=channel,
        lines=lines,
        pricing=pricing,
        warnings=checks.warnings_for(lines, pricing.facts, available),
        expires_at=cart.expires_at(settings),
        pickup_location=store,
    )


async def cart_by_id_for(
    db: Database, settings: Settings, viewer: Viewer, cart_id: int, channels: ChannelDirectory
) -> CartRead:
    """A cart right after the viewer changed it (mutation payloads)."""
    cart = await repository.cart_by_id(db, cart_id)
    if cart is None or not can_use_cart(viewer, cart.customer_id, cart.location_id):
        raise not_found()
    return await read_model(db, settings, cart, channels)
