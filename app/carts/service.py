"""Cart rules for creating a cart and changing its lines. Each change runs in the caller's
unit of work with the cart row locked, so two devices editing one cart queue, and every
addition lands: nothing is lost and no client is asked to retry."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.viewer import Viewer
from app.carts import repository
from app.carts.access import can_serve_customer, can_use_cart, not_found
from app.carts.errors import (
    CartExpired,
    CartMerged,
    CartNotActive,
    ChannelInactive,
    CustomerNotAllowed,
    InvalidBuyer,
    InvalidQuantity,
    LineNotFound,
    QuantityLimitExceeded,
    TooManyCodes,
    TooManyLines,
    UnknownCustomer,
    UnknownVariant,
    UnsupportedCurrency,
    VariantUnavailable,
)
from app.carts.views import CartView, channel_group
from app.channels.views import ChannelView
from app.config import Settings
from app.customers.timeline import record_customer_event
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine, CartStatus
from app.pricing import repository as pricing_repository
from app.pricing.service import check_codes

CART_ABANDONED = "CART_ABANDONED"


@dataclass(frozen=True, slots=True)
class LineInput:
    variant_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class LineUpdate:
    line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class BuyerIdentity:
    customer_id: int | None = None
    email: str | None = None
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class CartCreate:
    channel: ChannelView
    lines: Sequence[LineInput] = ()
    buyer: BuyerIdentity | None = None
    discount_codes: Sequence[str] = ()
    currency_code: str | None = None
    note: str | None = None


def new_token() -> str:
    return "crt_" + secrets.token_urlsafe(24)


def view_of(cart: Cart) -> CartView:
    return repository.cart_view(cart)


def _touch(cart: Cart, at: datetime | None = None) -> None:
    cart.updated_at = at or utcnow()


async def expire_cart(session: AsyncSession, cart: Cart, at: datetime) -> None:
    """Close an idle cart; a customer's cart with something in it joins their timeline."""
    cart.status = CartStatus.EXPIRED
    cart.closed_at = at
    if cart.customer_id is None:
        return
    counts = await repository.line_counts(session, [cart.id])
    lines, units = counts.get(cart.id, (0, 0))
    if lines:
        await record_customer_event(
            session,
            cart.customer_id,
            CART_ABANDONED,
            data={
                "lines": lines,
                "units": units,
                "channelGroup": cart.channel_group,
                "lastActivityAt": cart.updated_at.isoformat(),
            },
            occurred_at=at,
        )


def apply_contact(cart: Cart, buyer: BuyerIdentity) -> None:
    """The buyer's email and country (tax before a delivery is chosen); "" clears them."""
    if buyer.email is not None:
        email = buyer.email.strip().lower()
        if email and (len(email) > 320 or "@" not in email.strip("@")):
            raise InvalidBuyer("Not an email address", code="INVALID_EMAIL",
                               field="buyerIdentity.email")  # fmt: skip
        cart.email = email or None
    if buyer.country_code is not None:
        country = buyer.country_code.strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise InvalidBuyer("A country is its two-letter ISO code", code="INVALID_COUNTRY",
                               field="buyerIdentity.countryCode")  # fmt: skip
        cart.country_code = country or None


def _check_quantity(quantity: int, settings: Settings, field: str) -> None:
    if quantity < 1:
        raise InvalidQuantity("A quantity is at least 1", field=field)
    if quantity > settings.cart_line_quantity_max:
        raise QuantityLimitExceeded(
            f"At most {settings.cart_line_quantity_max} of one item per cart", field=field
        )


async def add_lines(
    session: AsyncSession,
    settings: Settings,
    cart: Cart,
    lines: Sequence[LineInput],
    *,
    keep_larger: bool = False,
) -> None:
    """Add `lines` to a locked cart: a variant already there gains the quantity (or, when
    merging carts, keeps the larger of the two quantities)."""
    if len(lines) > settings.cart_lines_max:
        raise TooManyLines(f"A cart holds at most {settings.cart_lines_max} lines", field="lines")
    wanted: dict[int, int] = {}
    for i, line in enumerate(lines):
        _check_quantity(line.quantity, settings, f"lines.{i}.quantity")
        wanted[line.variant_id] = wanted.get(line.variant_id, 0) + line.quantity
        # The same variant named twice makes one line: its total is what the cap applies to.
        _check_quantity(wanted[line.variant_id], settings, f"lines.{i}.quantity")
    facts = await pricing_repository.variant_facts(
        session, list(wanted), cart.currency_code, cart.channel_id
    )
    for i, line in enumerate(lines):
        fact = facts.get(line.variant_id)
        field = f"lines.{i}.merchandiseId"
        if fact is None:
            raise UnknownVariant("No such product variant", field=field)
        if not (fact.product_active and fact.published and fact.unit_price is not None):
            raise VariantUnavailable(f"{fact.sku} is not sold on this channel", field=field)
    existing = await repository.lines_for_change(session, cart.id)
    if len(set(existing) | set(wanted)) > settings.cart_lines_max:
        raise TooManyLines(f"A cart holds at most {settings.cart_lines_max} lines", field="lines")
    now = utcnow()
    for i, (variant_id, quantity) in enumerate(wanted.items()):
        price = facts[variant_id].unit_price
        row = existing.get(variant_id)
        if row is None:
            session.add(
                CartLine(
                    cart_id=cart.id,
                    variant_id=variant_id,
                    quantity=quantity,
                    unit_price_seen=price,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        total = max(row.quantity, quantity) if keep_larger else row.quantity + quantity
        _check_quantity(total, settings, f"lines.{i}.quantity")
        row.quantity = total
        row.unit_price_seen = price
        row.updated_at = now
    _touch(cart, now)
    await session.flush()


async def _owner_for(
    session: AsyncSession, viewer: Viewer, buyer: BuyerIdentity | None
) -> int | None:
    """The customer a new cart belongs to: the signed-in customer, or the one staff serve."""
    customer_id = buyer.customer_id if buyer else None
    if customer_id is None:
        return viewer.customer_id if viewer.is_customer else None
    if not can_serve_customer(viewer, customer_id):
        raise CustomerNotAllowed(
            "You may not open a cart for this customer", field="buyerIdentity.customerId"
        )
    return customer_id


async def lock_owner(session: AsyncSession, customer_id: int) -> int:
    """Lock the customer (serialising their carts); a merged profile leads to its survivor."""
    for _ in range(10):
        customer = await repository.lock_customer(session, customer_id)
        if customer is None or customer.erased_at is not None:
            raise UnknownCustomer("No such customer", field="buyerIdentity.customerId")
        if customer.merged_into_id is None:
            return customer.id
        customer_id = customer.merged_into_id
    raise UnknownCustomer("No such customer", field="buyerIdentity.customerId")


async def active_cart_for(
    session: AsyncSession, settings: Settings, customer_id: int, group: str
) -> Cart | None:
    """The customer's live cart in a group; an idle one found on the way is expired first."""
    cart = await repository.lock_active_cart(session, customer_id, group)
    if cart is not None and view_of(cart).expired(settings, utcnow()):
        await expire_cart(session, cart, utcnow())
        await session.flush()
        return None
    return cart


async def create_cart(
    session: AsyncSession, settings: Settings, viewer: Viewer, data: CartCreate
) -> Cart:
    """A new cart, or for a customer who already has one in this channel group, that cart
    with the lines added: a customer has one cart per group across devices."""
    channel = data.channel
    if not channel.is_active:
        raise ChannelInactive(f"Channel '{channel.code}' is not selling now", field="channel")
    if data.currency_code is not None and data.currency_code.upper() != channel.currency_code:
        raise UnsupportedCurrency(
            f"Channel '{channel.code}' sells in {channel.currency_code}", field="currencyCode"
        )
    if len(data.discount_codes) > settings.cart_discount_codes_max:
        raise TooManyCodes("Too many discount codes", field="discountCodes")
    owner = await _owner_for(session, viewer, data.buyer)
    if owner is not None:
        owner = await lock_owner(session, owner)
    codes = await check_codes(session, data.discount_codes, owner, utcnow(), "discountCodes")
    group = channel_group(channel.kind)
    cart = await active_cart_for(session, settings, owner, group) if owner else None
    if cart is None:
        cart = Cart(
            token=new_token(),
            status=CartStatus.ACTIVE,
            channel_id=channel.id,
            channel_group=group,
            currency_code=channel.currency_code,
            customer_id=owner,
            discount_codes=[],
            note="",
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        if viewer.is_staff:
            cart.staff_user_id = viewer.staff_id
            cart.location_id = viewer.home_location_id
        session.add(cart)
        await session.flush()
    else:
        # The customer's existing cart: staff may change it only where they may reach it.
        if not can_use_cart(viewer, cart.customer_id, cart.location_id):
            raise not_found()
        if cart.currency_code != channel.currency_code:
            raise UnsupportedCurrency(
                f"This customer's cart is priced in {cart.currency_code}; "
                f"channel '{channel.code}' sells in {channel.currency_code}",
                field="channel",
            )
        cart.channel_id = channel.id
    apply_contact(cart, data.buyer or BuyerIdentity())
    if data.note is not None:
        cart.note = data.note
    if codes:
        combined = list(dict.fromkeys([*cart.discount_codes, *codes]))
        if len(combined) > settings.cart_discount_codes_max:
            raise TooManyCodes("Too many discount codes", field="discountCodes")
        cart.discount_codes = combined
    await add_lines(session, settings, cart, data.lines)
    return cart


async def open_for_change(
    session: AsyncSession,
    settings: Settings,
    viewer: Viewer,
    token: str,
    request_channel: ChannelView | None = None,
) -> Cart:
    """Lock the cart a change is about, after checking the viewer may change it."""
    cart = await repository.lock_cart_by_token(session, token.strip())
    if cart is None or not can_use_cart(viewer, cart.customer_id, cart.location_id):
        raise not_found()
    if cart.status is CartStatus.MERGED:
        raise CartMerged(
            "This cart was merged into the customer's cart; change that one", field="cartId"
        )
    if view_of(cart).expired(settings, utcnow()):
        raise CartExpired("This cart expired; start a new one", field="cartId")
    if cart.status is not CartStatus.ACTIVE:
        raise CartNotActive("This cart is closed", field="cartId")
    # The same cart followed the shopper to another device of its group: price it there.
    if (
        request_channel is not None
        and request_channel.id != cart.channel_id
        and channel_group(request_channel.kind) == cart.channel_group
        and request_channel.currency_code == cart.currency_code
    ):
        cart.channel_id = request_channel.id
    return cart


async def update_lines(
    session: AsyncSession, settings: Settings, cart: Cart, updates: Sequence[LineUpdate]
) -> None:
    """Set quantities; zero removes the line."""
    if len(updates) > settings.cart_lines_max:
        raise TooManyLines(f"A cart holds at most {settings.cart_lines_max} lines", field="lines")
    existing = {
        line.id: line for line in (await repository.lines_for_change(session, cart.id)).values()
    }
    now = utcnow()
    removed = []
    for i, update in enumerate(updates):
        line = existing.get(update.line_id)
        if line is None:
            raise LineNotFound("No such line in this cart", field=f"lines.{i}.id")
        if update.quantity == 0:
            removed.append(line.id)
            continue
        _check_quantity(update.quantity, settings, f"lines.{i}.quantity")
        line.quantity = update.quantity
        line.updated_at = now
    await session.flush()
    await repository.delete_lines(session, removed)
    _touch(cart, now)
    await session.flush()


async def remove_lines(
    session: AsyncSession, settings: Settings, cart: Cart, line_ids: Sequence[int]
) -> None:
    if len(line_ids) > settings.cart_lines_max:
        raise TooManyLines(f"A cart holds at most {settings.cart_lines_max} lines", field="lineIds")
    existing = {line.id for line in (await repository.lines_for_change(session, cart.id)).values()}
    for i, line_id in enumerate(line_ids):
        if line_id not in existing:
            raise LineNotFound("No such line in this cart", field=f"lineIds.{i}")
    await repository.delete_lines(session, list(line_ids))
    _touch(cart)
    await session.flush()


def complete_cart(cart: Cart) -> None:
    """Checkout's last step on a cart it holds locked (`open_for_change`): the cart closes and
    the customer's next `cartCreate` starts a new one."""
    cart.status = CartStatus.COMPLETED
    cart.closed_at = utcnow()
    cart.updated_at = cart.closed_at
