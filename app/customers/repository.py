"""All customers SQL: Core selects into views for reads, ORM and bulk updates for writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from app.customers.views import (
    AddressView,
    ConsentRecordView,
    CustomerView,
    EventView,
    IdentifierView,
)
from app.database import Database
from app.kit.pagination import Page, PageRequest, SortColumn, paginate
from app.kit.sql import escape_like, id_in
from app.models.customer import (
    Customer,
    CustomerAddress,
    CustomerConsent,
    CustomerEvent,
    CustomerIdentifier,
    IdentifierKind,
    PasswordResetToken,
)

_C = Customer.__table__.c
_I = CustomerIdentifier.__table__.c
_A = CustomerAddress.__table__.c
_K = CustomerConsent.__table__.c
_E = CustomerEvent.__table__.c


def _dialect(db: Database) -> str:
    return db.engine.dialect.name


def _customer_select() -> Any:
    return select(
        _C.id,
        _C.first_name,
        _C.last_name,
        _C.password_hash.is_not(None).label("has_account"),
        _C.created_at,
        _C.updated_at,
        _C.erased_at,
    )


def _customer_view(row: Row[Any]) -> CustomerView:
    return CustomerView(
        id=row.id,
        first_name=row.first_name,
        last_name=row.last_name,
        has_account=bool(row.has_account),
        created_at=row.created_at,
        updated_at=row.updated_at,
        erased_at=row.erased_at,
    )


async def survivors(db: Database, ids: Sequence[int]) -> dict[int, int]:
    """For each known id, the id of the customer that now stands for it (itself or a merge)."""
    if not ids:
        return {}
    async with db.read() as conn:
        rows = await conn.execute(
            select(_C.id, _C.merged_into_id).where(id_in(_C.id, ids, _dialect(db)))
        )
        return {row.id: row.merged_into_id or row.id for row in rows}


async def customers_by_ids(db: Database, ids: Sequence[int]) -> dict[int, CustomerView]:
    """Live (not merged) customers by id."""
    if not ids:
        return {}
    stmt = _customer_select().where(id_in(_C.id, ids, _dialect(db)), _C.merged_into_id.is_(None))
    async with db.read() as conn:
        return {row.id: _customer_view(row) for row in await conn.execute(stmt)}


async def identifiers_for(db: Database, ids: Sequence[int]) -> dict[int, list[IdentifierView]]:
    found: dict[int, list[IdentifierView]] = defaultdict(list)
    async with db.read() as conn:
        rows = await conn.execute(
            select(_I.id, _I.customer_id, _I.kind, _I.value, _I.verified_at, _I.created_at)
            .where(id_in(_I.customer_id, ids, _dialect(db)))
            .order_by(_I.kind, _I.id)
        )
        for r in rows:
            view = IdentifierView(
                r.id, r.customer_id, IdentifierKind(r.kind), r.value, r.verified_at, r.created_at
            )
            found[r.customer_id].append(view)
    return found


async def addresses_for(db: Database, ids: Sequence[int]) -> dict[int, list[AddressView]]:
    found: dict[int, list[AddressView]] = defaultdict(list)
    columns = [getattr(_A, f) for f in AddressView.__slots__]
    async with db.read() as conn:
        rows = await conn.execute(
            select(*columns).where(id_in(_A.customer_id, ids, _dialect(db))).order_by(_A.id)
        )
        for r in rows:
            found[r.customer_id].append(AddressView(*r))
    return found


async def consent_records_for(
    db: Database, ids: Sequence[int]
) -> dict[int, list[ConsentRecordView]]:
    """Every consent decision per customer, newest first."""
    found: dict[int, list[ConsentRecordView]] = defaultdict(list)
    async with db.read() as conn:
        rows = await conn.execute(
            select(_K.customer_id, _K.purpose, _K.granted, _K.source, _K.recorded_at)
            .where(id_in(_K.customer_id, ids, _dialect(db)))
            .order_by(_K.recorded_at.desc(), _K.id.desc())
        )
        for r in rows:
            found[r.customer_id].append(
                ConsentRecordView(r.purpose, r.granted, r.source, r.recorded_at)
            )
    return found


async def channels_seen_for(db: Database, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    async with db.read() as conn:
        rows = await conn.execute(
            select(_E.customer_id, _E.channel_code)
            .where(id_in(_E.customer_id, ids, _dialect(db)), _E.channel_code.is_not(None))
            .group_by(_E.customer_id, _E.channel_code)
            .order_by(_E.customer_id, _E.channel_code)
        )
        for r in rows:
            found[r.customer_id].append(r.channel_code)
    return found


async def merged_from_for(db: Database, ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    async with db.read() as conn:
        rows = await conn.execute(
            select(_C.id, _C.merged_into_id)
            .where(id_in(_C.merged_into_id, ids, _dialect(db)))
            .order_by(_C.id)
        )
        for r in rows:
            found[r.merged_into_id].append(r.id)
    return found


_EVENT_COLUMNS = (
    _E.id, _E.customer_id, _E.kind, _E.channel_code, _E.location_id, _E.staff_user_id, _E.data,
    _E.occurred_at,
)  # fmt: skip


def _event_view(r: Any) -> EventView:
    return EventView(
        r.id, r.customer_id, r.kind, r.channel_code, r.location_id, r.staff_user_id,
        dict(r.data or {}), r.occurred_at,
    )  # fmt: skip


async def event_page(
    db: Database, customer_id: int, page: PageRequest, *, default_size: int, max_size: int
) -> Page[EventView]:
    stmt = select(*_EVENT_COLUMNS).where(_E.customer_id == customer_id)
    order = [SortColumn(_E.occurred_at, "occurred_at", True), SortColumn(_E.id, "id", True)]
    return await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size, build=_event_view
    )


async def all_events(db: Database, customer_id: int) -> list[EventView]:
    async with db.read() as conn:
        rows = await conn.execute(
            select(*_EVENT_COLUMNS)
            .where(_E.customer_id == customer_id)
            .order_by(_E.occurred_at.desc(), _E.id.desc())
        )
        return [_event_view(r) for r in rows]


async def search_page(
    db: Database,
    *,
    name_terms: Sequence[str],
    identifiers: Sequence[tuple[IdentifierKind, str]],
    page: PageRequest,
    default_size: int,
    max_size: int,
) -> Page[CustomerView]:
    """Live customers whose name holds every term, or who hold one of the identifiers."""
    matches: list[ColumnElement[bool]] = []
    if name_terms:
        full_name = func.lower(_C.first_name + " " + _C.last_name)
        matches.append(
            and_(*[full_name.like(f"%{escape_like(t)}%", escape="\\") for t in name_terms])
        )
    for kind, value in identifiers:
        matches.append(
            _C.id.in_(select(_I.customer_id).where(_I.kind == kind.value, _I.value == value))
        )
    stmt = _customer_select().where(_C.merged_into_id.is_(None), _C.erased_at.is_(None))
    if matches:
        stmt = stmt.where(or_(*matches))
    order = [SortColumn(_C.created_at, "created_at", True), SortColumn(_C.id, "id", True)]
    return await paginate(
        db, stmt, order, page, default_size=default_size, max_size=max_size, build=_customer_view
    )


# Writes


async def customer_for_update(session: AsyncSession, customer_id: int) -> Customer | None:
    result = await session.execute(
        select(Customer).where(Customer.id == customer_id).with_for_update()
    )
    return result.scalar_one_or_none()


async def customers_for_update(session: AsyncSession, ids: Sequence[int]) -> dict[int, Customer]:
    """Locks rows in id order, so that two merges of the same pair cannot deadlock."""
    result = await session.execute(
        select(Customer).where(Customer.id.in_(list(ids))).order_by(Customer.id).with_for_update()
    )
    return {c.id: c for c in result.scalars()}


async def identifier(
    session: AsyncSession, kind: IdentifierKind, value: str
) -> CustomerIdentifier | None:
    result = await session.execute(
        select(CustomerIdentifier).where(
            CustomerIdentifier.kind == kind, CustomerIdentifier.value == value
        )
    )
    return result.scalar_one_or_none()


async def identifier_by_id(session: AsyncSession, identifier_id: int) -> CustomerIdentifier | None:
    return await session.get(CustomerIdentifier, identifier_id)


async def identifiers_of(session: AsyncSession, customer_id: int) -> list[CustomerIdentifier]:
    result = await session.execute(
        select(CustomerIdentifier)
        .where(CustomerIdentifier.customer_id == customer_id)
        .order_by(CustomerIdentifier.id)
    )
    return list(result.scalars())


async def holders(
    session: AsyncSession, wanted: Sequence[tuple[IdentifierKind, str]]
) -> list[CustomerIdentifier]:
    if not wanted:
        return []
    result = await session.execute(
        select(CustomerIdentifier)
        .where(
            or_(
                *[
                    (CustomerIdentifier.kind == kind) & (CustomerIdentifier.value == value)
                    for kind, value in wanted
                ]
            )
        )
        .order_by(CustomerIdentifier.id)
    )
    return list(result.scalars())


async def reassign(session: AsyncSession, model: Any, source_id: int, target_id: int) -> int:
    """Point every row of `model` from one customer to another; returns the row count."""
    result = await session.execute(
        update(model).where(model.customer_id == source_id).values(customer_id=target_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def repoint_tombstones(session: AsyncSession, source_id: int, target_id: int) -> None:
    """Customers merged earlier into the source now lead straight to the target."""
    await session.execute(
        update(Customer)
        .where(Customer.merged_into_id == source_id)
        .values(merged_into_id=target_id)
    )


async def first_events(
    db: Database, customer_ids: Sequence[int], size: int
) -> dict[int, list[EventView]]:
    """The newest `size` events of each customer, in one statement for a whole list."""
    position = (
        func.row_number()
        .over(partition_by=_E.customer_id, order_by=(_E.occurred_at.desc(), _E.id.desc()))
        .label("position")
    )
    ranked = (
        select(*_EVENT_COLUMNS, position)
        .where(id_in(_E.customer_id, customer_ids, _dialect(db)))
        .subquery()
    )
    found: dict[int, list[EventView]] = defaultdict(list)
    async with db.read() as conn:
        rows = await conn.execute(
            select(ranked)
            .where(ranked.c.position <= size)
            .order_by(ranked.c.customer_id, ranked.c.position)
        )
        for r in rows:
            found[r.customer_id].append(_event_view(r))
    return found


async def event_counts(db: Database, customer_ids: Sequence[int]) -> dict[int, int]:
    async with db.read() as conn:
        rows = await conn.execute(
            select(_E.customer_id, func.count())
            .where(id_in(_E.customer_id, customer_ids, _dialect(db)))
            .group_by(_E.customer_id)
        )
        return {customer_id: int(count) for customer_id, count in rows}


async def expire_reset_tokens(session: AsyncSession, customer_id: int, at: datetime) -> None:
    """Mark every unused reset token of the customer as used."""
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.customer_id == customer_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=at)
    )
