"""One cart per customer and channel group: claiming a guest cart at sign-in, and the rule
for folding one cart into another (also used when two customer profiles merge).

The rule: for a variant in both carts, the survivor keeps the larger quantity (the shopper
meant that many, not the sum); other lines are appended, up to the line limit; codes are
united; the survivor's note and delivery win unless it has none. The folded cart becomes
MERGED, read-only, and its ID resolves to the survivor.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.viewer import Viewer
from app.carts import repository
from app.carts.access import can_serve_customer, can_use_cart, not_found
from app.carts.errors import CustomerNotAllowed
from app.carts.service import BuyerIdentity, active_cart_for, apply_contact, lock_owner
from app.config import Settings, get_settings
from app.customers.merge import MergeContext, register_merge_hook
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine, CartStatus


async def fold_into(session: AsyncSession, settings: Settings, source: Cart, target: Cart) -> None:
    """Fold `source` into `target` (both locked) by the rule above."""
    now = utcnow()
    theirs = await repository.lines_for_change(session, source.id)
    ours = await repository.lines_for_change(session, target.id)
    room = settings.cart_lines_max - len(ours)
    for variant_id, line in theirs.items():
        mine = ours.get(variant_id)
        if mine is not None:
            if line.quantity > mine.quantity:
                mine.quantity = min(line.quantity, settings.cart_line_quantity_max)
                mine.updated_at = now
        elif room > 0:
            session.add(
                CartLine(
                    cart_id=target.id,
                    variant_id=variant_id,
                    quantity=min(line.quantity, settings.cart_line_quantity_max),
                    unit_price_seen=line.unit_price_seen,
                    created_at=line.created_at,
                    updated_at=now,
                )
            )
            room -= 1
    codes = list(dict.fromkeys([*target.discount_codes, *source.discount_codes]))
    target.discount_codes = codes[: settings.cart_discount_codes_max]
    target.note = target.note or source.note
    if target.delivery_method is None and source.delivery_method is not None:
        target.delivery_method = source.delivery_method
        target.shipping_address = source.shipping_address
        target.pickup_location_id = source.pickup_location_id
    target.email = target.email or source.email
    target.country_code = target.country_code or source.country_code
    target.updated_at = now
    source.status = CartStatus.MERGED
    source.merged_into_id = target.id
    source.closed_at = now
    await session.flush()
    await repository.repoint_merged(session, source.id, target.id)


async def update_buyer_identity(
    session: AsyncSession, settings: Settings, viewer: Viewer, cart: Cart, buyer: BuyerIdentity
) -> Cart:
    """Set who is buying. A guest cart given to a customer (the customer signing in, or staff
    naming them) becomes that customer's cart, merged into the one they already have in this
    channel group. Returns the cart that holds the lines afterwards."""
    apply_contact(cart, buyer)
    cart.updated_at = utcnow()
    owner = buyer.customer_id
    if owner is None and viewer.is_customer and cart.customer_id is None:
        owner = viewer.customer_id
    if owner is None:
        await session.flush()
        return cart
    if not can_serve_customer(viewer, owner):
        raise CustomerNotAllowed(
            "You may not give this cart to that customer", field="buyerIdentity.customerId"
        )
    owner = await lock_owner(session, owner)
    if cart.customer_id is not None:
        if cart.customer_id != owner:
            raise CustomerNotAllowed(
                "This cart belongs to another customer", field="buyerIdentity.customerId"
            )
        await session.flush()
        return cart
    existing = await active_cart_for(session, settings, owner, cart.channel_group)
    if existing is None or existing.id == cart.id:
        cart.customer_id = owner
        await session.flush()
        return cart
    # Folding into the customer's cart changes it: only someone who may reach it may do so.
    if not can_use_cart(viewer, existing.customer_id, existing.location_id):
        raise not_found()
    await fold_into(session, settings, cart, existing)
    return existing


async def move_customer_carts(session: AsyncSession, context: MergeContext) -> None:
    """Customer merge hook: the source's carts follow the person; where both profiles have an
    active cart in one channel group, the source's folds into the target's."""
    settings = get_settings()
    theirs = await repository.lock_active_carts_of(session, context.source_id)
    ours = {
        c.channel_group: c
        for c in await repository.lock_active_carts_of(session, context.target_id)
    }
    for cart in theirs:
        survivor = ours.get(cart.channel_group)
        if survivor is not None:
            await fold_into(session, settings, cart, survivor)
    await session.flush()
    await repository.move_customer_carts(session, context.source_id, context.target_id)


register_merge_hook("carts", move_customer_carts)
