"""All cart SQL. Every change locks the cart row first (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's writers are serialised by BEGIN IMMEDIATE), so edits from two devices queue rather
than overwrite each other."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.carts.views import CartLineView, CartView
from app.database import Database
from app.models.cart import Cart, CartLine, CartStatus
from app.models.customer import Customer

_C = Cart.__table__.c
_L = CartLine.__table__.c
_CART_COLUMNS = (
    _C.id,
    _C.token,
    _C.status,
    _C.channel_id,
    _C.channel_group,
    _C.currency_code,
    _C.customer_id,
    _C.email,
    _C.country_code,
    _C.location_id,
    _C.staff_user_id,
    _C.note,
    _C.discount_codes,
    _C.delivery_method,
    _C.pickup_location_id,
    _C.shipping_address,
    _C.merged_into_id,
    _C.created_at,
    _C.updated_at,
)
_LINE_COLUMNS = (
    _L.id,
    _L.cart_id,
    _L.variant_id,
    _L.quantity,
    _L.unit_price_seen,
    _L.created_at,
    _L.updated_at,
)


def cart_view(row: Any) -> CartView:
    return CartView(
        id=row.id,
        token=row.token,
        status=CartStatus(row.status),
        channel_id=row.channel_id,
        channel_group=row.channel_group,
        currency_code=row.currency_code,
        customer_id=row.customer_id,
        email=row.email,
        country_code=row.country_code,
        location_id=row.location_id,
        staff_user_id=row.staff_user_id,
        note=row.note,
        discount_codes=list(row.discount_codes or []),
        delivery_method=row.delivery_method,
        pickup_location_id=row.pickup_location_id,
        shipping_address=row.shipping_address,
        merged_into_id=row.merged_into_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _line_view(row: Any) -> CartLineView:
    return CartLineView(*row)


async def cart_by_token(db: Database, token: str) -> CartView | None:
    async with db.read() as conn:
        row = (await conn.execute(select(*_CART_COLUMNS).where(_C.token == token))).first()
    return cart_view(row) if row is not None else None


async def cart_by_id(db: Database, cart_id: int) -> CartView | None:
    async with db.read() as conn:
        row = (await conn.execute(select(*_CART_COLUMNS).where(_C.id == cart_id))).first()
    return cart_view(row) if row is not None else None


async def active_carts_of(
    db: Database, customer_ids: Sequence[int], group: str
) -> dict[int, CartView]:
    if not customer_ids:
        return {}
    stmt = select(*_CART_COLUMNS).where(
        _C.customer_id.in_(list(customer_ids)),
        _C.channel_group == group,
        _C.status == CartStatus.ACTIVE,
    )
    async with db.read() as conn:
        return {row.customer_id: cart_view(row) for row in await conn.execute(stmt)}


async def lines_of(db: Database, cart_id: int) -> list[CartLineView]:
    stmt = select(*_LINE_COLUMNS).where(_L.cart_id == cart_id).order_by(_L.created_at, _L.id)
    async with db.read() as conn:
        return [_line_view(row) for row in await conn.execute(stmt)]


# Writes: ORM rows inside the caller's unit of work.


async def lock_cart_by_token(session: AsyncSession, token: str) -> Cart | None:
    stmt = select(Cart).where(Cart.token == token).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_cart(session: AsyncSession, cart_id: int) -> Cart | None:
    stmt = select(Cart).where(Cart.id == cart_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_customer(session: AsyncSession, customer_id: int) -> Customer | None:
    """The customer row serialises creating and merging their carts (one active per group)."""
    stmt = select(Customer).where(Customer.id == customer_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_active_cart(session: AsyncSession, customer_id: int, group: str) -> Cart | None:
    stmt = (
        select(Cart)
        .where(
            Cart.customer_id == customer_id,
            Cart.channel_group == group,
            Cart.status == CartStatus.ACTIVE,
        )
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_active_carts_of(session: AsyncSession, customer_id: int) -> list[Cart]:
    stmt = (
        select(Cart)
        .where(Cart.customer_id == customer_id, Cart.status == CartStatus.ACTIVE)
        .order_by(Cart.id)
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars())


async def lines_for_change(session: AsyncSession, cart_id: int) -> dict[int, CartLine]:
    """The cart's lines by variant; the caller holds the cart's lock."""
    stmt = select(CartLine).where(CartLine.cart_id == cart_id).order_by(CartLine.id)
    return {line.variant_id: line for line in (await session.execute(stmt)).scalars()}


async def delete_lines(session: AsyncSession, line_ids: Sequence[int]) -> None:
    if line_ids:
        await session.execute(delete(CartLine).where(CartLine.id.in_(list(line_ids))))


async def move_customer_carts(session: AsyncSession, source_id: int, target_id: int) -> None:
    await session.execute(
        update(Cart).where(Cart.customer_id == source_id).values(customer_id=target_id)
    )


async def repoint_merged(session: AsyncSession, old_id: int, new_id: int) -> None:
    """Carts merged into `old_id` now resolve straight to `new_id`."""
    await session.execute(
        update(Cart).where(Cart.merged_into_id == old_id).values(merged_into_id=new_id)
    )


async def carts_to_expire(
    session: AsyncSession, guest_before: datetime, customer_before: datetime, limit: int
) -> list[Cart]:
    """Active carts idle past their time to live, locked (skipping any being edited now)."""
    stmt = (
        select(Cart)
        .where(
            Cart.status == CartStatus.ACTIVE,
            or_(
                (Cart.customer_id.is_(None)) & (Cart.updated_at < guest_before),
                (Cart.customer_id.is_not(None)) & (Cart.updated_at < customer_before),
            ),
        )
        .order_by(Cart.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(stmt)).scalars())


async def line_counts(session: AsyncSession, cart_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(lines, units) per cart."""
    if not cart_ids:
        return {}
    stmt = (
        select(_L.cart_id, func.count(), func.sum(_L.quantity))
        .where(_L.cart_id.in_(list(cart_ids)))
        .group_by(_L.cart_id)
    )
    return {cid: (n, int(units or 0)) for cid, n, units in await session.execute(stmt)}


async def delete_closed_carts(
    session: AsyncSession, status: CartStatus, *, closed_before: datetime
) -> int:
    """Carts closed with `status` before the moment; their lines go with them."""
    stmt = delete(Cart).where(Cart.status == status, Cart.closed_at < closed_before)
    result: Any = await session.execute(stmt)
    return int(result.rowcount or 0)
