"""Pricing SQL: live promotions, codes, tax rules, the facts a price needs, code usage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.database import Database
from app.kit.sql import id_in
from app.models.catalog import (
    Price,
    Product,
    ProductCategory,
    ProductChannel,
    ProductStatus,
    Variant,
)
from app.models.customer import CustomerIdentifier, IdentifierKind
from app.models.pricing import (
    ChannelTaxSetting,
    CustomerSegment,
    DiscountCode,
    DiscountRedemption,
    Promotion,
    PromotionStatus,
    TaxRate,
)
from app.pricing.views import CodeView, PromotionView, TaxRule

_PROMO = Promotion.__table__.c
_CODE = DiscountCode.__table__.c
_RED = DiscountRedemption.__table__.c


def promotion_view(p: Promotion | Any) -> PromotionView:
    return PromotionView(
        id=p.id,
        name=p.name,
        status=PromotionStatus(p.status),
        trigger=p.trigger,
        kind=p.kind,
        target=p.target,
        percentage_bp=p.percentage_bp,
        amounts=dict(p.amounts or {}),
        minimum_subtotals=dict(p.minimum_subtotals or {}),
        buy_quantity=p.buy_quantity,
        get_quantity=p.get_quantity,
        product_ids=frozenset(p.product_ids or ()),
        category_ids=frozenset(p.category_ids or ()),
        channel_ids=frozenset(p.channel_ids or ()),
        segments=frozenset(CustomerSegment(s) for s in p.segments or ()),
        starts_at=p.starts_at,
        ends_at=p.ends_at,
        priority=p.priority,
        combinable=p.combinable,
        usage_limit_per_customer=p.usage_limit_per_customer,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


_PROMOTION_COLUMNS = [_PROMO[c.name] for c in Promotion.__table__.columns]

# Reads made inside a write take the write's own session: a request holding a transaction must
# not wait for a second pooled connection (under load every connection could be such a writer).
Conn = AsyncConnection | AsyncSession


def _dialect(conn: Conn) -> str:
    if isinstance(conn, AsyncConnection):
        return conn.dialect.name
    return conn.bind.dialect.name if conn.bind is not None else "sqlite"


async def live_promotions(conn: Conn, at: datetime) -> list[PromotionView]:
    """Every promotion that may apply now (the engine checks start times and scopes)."""
    stmt = select(*_PROMOTION_COLUMNS).where(
        _PROMO.status == PromotionStatus.ACTIVE, or_(_PROMO.ends_at.is_(None), _PROMO.ends_at > at)
    )
    return [promotion_view(row) for row in await conn.execute(stmt)]


async def promotions_by_ids(conn: Conn, ids: Sequence[int]) -> dict[int, PromotionView]:
    if not ids:
        return {}
    stmt = select(*_PROMOTION_COLUMNS).where(_PROMO.id.in_(list(ids)))
    return {row.id: promotion_view(row) for row in await conn.execute(stmt)}


def _code(row: Any) -> CodeView:
    return CodeView(
        row.id, row.promotion_id, row.code, row.usage_limit, row.times_used, row.created_at
    )


_CODE_COLUMNS = (
    _CODE.id,
    _CODE.promotion_id,
    _CODE.code,
    _CODE.usage_limit,
    _CODE.times_used,
    _CODE.created_at,
)


async def codes_by_value(conn: Conn, codes: Sequence[str]) -> dict[str, CodeView]:
    if not codes:
        return {}
    stmt = select(*_CODE_COLUMNS).where(_CODE.code.in_(list(codes)))
    return {row.code: _code(row) for row in await conn.execute(stmt)}


async def code_page(db: Database, promotion_ids: Sequence[int]) -> dict[int, list[CodeView]]:
    grouped: dict[int, list[CodeView]] = defaultdict(list)
    if not promotion_ids:
        return grouped
    stmt = (
        select(*_CODE_COLUMNS)
        .where(_CODE.promotion_id.in_(list(promotion_ids)))
        .order_by(_CODE.promotion_id, _CODE.id)
    )
    async with db.read() as conn:
        for row in await conn.execute(stmt):
            grouped[row.promotion_id].append(_code(row))
    return grouped


async def code_counts(db: Database, promotion_ids: Sequence[int]) -> dict[int, int]:
    if not promotion_ids:
        return {}
    stmt = (
        select(_CODE.promotion_id, func.count())
        .where(_CODE.promotion_id.in_(list(promotion_ids)))
        .group_by(_CODE.promotion_id)
    )
    async with db.read() as conn:
        return dict(await conn.execute(stmt))


async def redemptions_by_customer(
    conn: Conn, customer_id: int, code_ids: Sequence[int]
) -> dict[int, int]:
    """Redemptions per promotion by one customer, across every code of the promotion."""
    if not code_ids:
        return {}
    stmt = (
        select(_CODE.promotion_id, func.count())
        .select_from(DiscountRedemption.__table__.join(DiscountCode.__table__))
        .where(
            _RED.customer_id == customer_id,
            _CODE.promotion_id.in_(
                select(_CODE.promotion_id).where(_CODE.id.in_(list(code_ids))).scalar_subquery()
            ),
        )
        .group_by(_CODE.promotion_id)
    )
    return {pid: int(n) for pid, n in await conn.execute(stmt)}


async def customer_redemptions_of_promotion(
    session: AsyncSession, customer_id: int, promotion_id: int
) -> int:
    stmt = (
        select(func.count())
        .select_from(DiscountRedemption.__table__.join(DiscountCode.__table__))
        .where(_RED.customer_id == customer_id, _CODE.promotion_id == promotion_id)
    )
    return int((await session.execute(stmt)).scalar_one())


async def consume_code(session: AsyncSession, code_id: int) -> bool:
    """One use of a code, only while it has uses left: the check and the write are one
    statement, so two checkouts racing for the last use cannot both get it."""
    stmt = (
        update(DiscountCode)
        .where(
            _CODE.id == code_id,
            or_(_CODE.usage_limit.is_(None), _CODE.times_used < _CODE.usage_limit),
        )
        .values(times_used=_CODE.times_used + 1)
    )
    result: Any = await session.execute(stmt)
    return bool(result.rowcount == 1)


async def insert_codes(
    session: AsyncSession,
    promotion_id: int,
    codes: Sequence[str],
    usage_limit: int | None,
    at: datetime,
) -> set[str]:
    """Insert the codes that are free; returns those inserted (taken ones are skipped)."""
    if not codes:
        return set()
    rows = [
        {
            "promotion_id": promotion_id,
            "code": c,
            "usage_limit": usage_limit,
            "times_used": 0,
            "created_at": at,
        }
        for c in codes
    ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(DiscountCode)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(_CODE.code)
    )
    return set((await session.execute(stmt)).scalars())


async def tax_rule(
    conn: Conn, channel_id: int, country_code: str | None, region: str | None
) -> TaxRule:
    """The channel's tax display, at the destination's rate (the channel's default place when
    the cart has no destination yet); a region without its own rate uses the country's."""
    t = ChannelTaxSetting.__table__.c
    r = TaxRate.__table__.c
    setting = (
        await conn.execute(
            select(t.prices_include_tax, t.default_country_code, t.default_region).where(
                t.channel_id == channel_id
            )
        )
    ).first()
    if setting is None and not country_code:
        return TaxRule(0, False, "", "")
    inclusive = bool(setting.prices_include_tax) if setting is not None else False
    country = (country_code or (setting.default_country_code if setting else "")).upper()
    place = region if country_code else (setting.default_region if setting else "")
    place = (place or "").upper()
    rows = (
        await conn.execute(
            select(r.region, r.rate_ppm).where(
                r.country_code == country, r.region.in_(list({place, ""}))
            )
        )
    ).all()
    rates = {row.region.upper(): row.rate_ppm for row in rows}
    rate = rates.get(place, rates.get("", 0))
    return TaxRule(rate, inclusive, country, place)


@dataclass(frozen=True, slots=True)
class VariantFacts:
    """What pricing and availability need to know about one variant on one channel."""

    variant_id: int
    product_id: int
    sku: str
    title: str
    product_active: bool
    published: bool
    unit_price: int | None
    compare_at_price: int | None
    category_ids: frozenset[int]


async def variant_facts(
    conn: Conn, variant_ids: Sequence[int], currency_code: str, channel_id: int
) -> dict[int, VariantFacts]:
    if not variant_ids:
        return {}
    v, p, pr = Variant.__table__.c, Product.__table__.c, Price.__table__.c
    pc, cat = ProductChannel.__table__.c, ProductCategory.__table__.c
    dialect = _dialect(conn)
    published = exists().where(pc.product_id == v.product_id, pc.channel_id == channel_id)
    stmt = (
        select(
            v.id,
            v.product_id,
            v.sku,
            v.title,
            p.status,
            published.label("published"),
            pr.amount,
            pr.compare_at_amount,
        )
        .join(Product.__table__, p.id == v.product_id)
        .outerjoin(Price.__table__, and_(pr.variant_id == v.id, pr.currency_code == currency_code))
        .where(id_in(v.id, variant_ids, dialect))
    )
    rows = (await conn.execute(stmt)).all()
    product_ids = list({row.product_id for row in rows})
    categories: dict[int, set[int]] = defaultdict(set)
    if product_ids:
        cat_stmt = select(cat.product_id, cat.category_id).where(
            id_in(cat.product_id, product_ids, dialect)
        )
        for product_id, category_id in await conn.execute(cat_stmt):
            categories[product_id].add(category_id)
    return {
        row.id: VariantFacts(
            row.id,
            row.product_id,
            row.sku,
            row.title,
            row.status == ProductStatus.ACTIVE,
            bool(row.published),
            row.amount,
            row.compare_at_amount,
            frozenset(categories[row.product_id]),
        )
        for row in rows
    }


async def is_loyalty_member(conn: Conn, customer_id: int) -> bool:
    i = CustomerIdentifier.__table__.c
    stmt = select(
        exists().where(i.customer_id == customer_id, i.kind == IdentifierKind.LOYALTY_CARD)
    )
    return bool((await conn.execute(stmt)).scalar())


def add_redemption(
    session: AsyncSession, code_id: int, customer_id: int | None, cart_id: int | None, at: datetime
) -> None:
    session.add(
        DiscountRedemption(
            code_id=code_id, customer_id=customer_id, cart_id=cart_id, redeemed_at=at
        )
    )


async def per_customer_limit(session: AsyncSession, promotion_id: int) -> int | None:
    """The promotion's per-customer limit, read with its row locked: two checkouts of one
    customer with two codes of the same promotion count that customer's uses one at a time."""
    stmt = (
        select(_PROMO.usage_limit_per_customer).where(_PROMO.id == promotion_id).with_for_update()
    )
    value = (await session.execute(stmt)).scalar_one_or_none()
    return int(value) if value is not None else None
