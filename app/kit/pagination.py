"""Keyset (cursor) pagination over any SQLAlchemy select.

A cursor is the opaque encoding of the sort values of one row plus its id, so pages stay
stable while rows are inserted before them. `first/after` walks forward, `last/before`
walks backward; both cost one statement for the page and one for `totalCount`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Numeric,
    Select,
    String,
    and_,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.engine import Row

from app.database import Database
from app.errors import Invalid
from app.kit.types import UTCDateTime

T = TypeVar("T")


class InvalidCursor(Invalid):
    code = "INVALID_CURSOR"


class PageSizeExceeded(Invalid):
    code = "PAGE_SIZE_EXCEEDED"


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def resolve(self, default: int, maximum: int) -> tuple[int, bool]:
        """The page size and whether we walk backward; refuses sizes over the cap."""
        if self.first is not None and self.last is not None:
            raise Invalid(
                "Pass either first or last, not both", code="INVALID_PAGINATION", field="first"
            )
        backward = self.last is not None or (self.before is not None and self.first is None)
        size = self.last if backward else self.first
        name = "last" if backward else "first"
        if size is None:
            size = default
        if size < 0:
            raise Invalid(f"{name} must not be negative", code="INVALID_PAGINATION", field=name)
        if size > maximum:
            raise PageSizeExceeded(
                f"{name} is {size}; the maximum page size is {maximum}", field=name
            )
        return size, backward


@dataclass(frozen=True, slots=True)
class SortColumn:
    """One ordering term: the expression to order by and the label it is selected as."""

    expression: ColumnElement[Any]
    label: str
    descending: bool = False


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]] = field(repr=False)


def encode_cursor(values: Sequence[Any]) -> str:
    def _plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"t": value.isoformat()}
        return value

    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int, field_name: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong shape")
        return [
            datetime.fromisoformat(v["t"]) if isinstance(v, dict) and "t" in v else v
            for v in values
        ]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor("The cursor is not valid for this list", field=field_name) from exc


def _check_cursor_values(order: Sequence[SortColumn], values: list[Any], field_name: str) -> None:
    """A forged cursor must fail as INVALID_CURSOR, not reach the database as a wrong type."""
    for column, value in zip(order, values, strict=True):
        kind = column.expression.type
        if value is None:
            continue
        if isinstance(kind, Integer):
            valid = isinstance(value, int) and not isinstance(value, bool)
            valid = valid and -(2**63) <= value < 2**63
        elif isinstance(kind, Numeric):
            valid = isinstance(value, int | float) and not isinstance(value, bool)
        elif isinstance(kind, DateTime | UTCDateTime):
            valid = isinstance(value, datetime) and value.tzinfo is not None
        elif isinstance(kind, String):
            valid = isinstance(value, str)
        else:
            valid = not isinstance(value, dict | list)
        if not valid:
            raise InvalidCursor("The cursor is not valid for this list", field=field_name)


def _seek(order: Sequence[SortColumn], values: Sequence[Any], forward: bool) -> ColumnElement[bool]:
    """Rows strictly after (forward) or before (backward) the given sort values."""
    if None not in values and len({c.descending for c in order}) == 1:
        # One row comparison, `(a, b) > (x, y)`: the same rows as the expansion below, but a
        # database can seek an index on (a, b) with it instead of filtering from the start.
        ascending_walk = order[0].descending != forward
        keys = tuple_(*(c.expression for c in order))
        bounds = tuple_(
            *(literal(v, c.expression.type) for c, v in zip(order, values, strict=True))
        )
        return keys > bounds if ascending_walk else keys < bounds
    clauses: list[ColumnElement[bool]] = []
    for i, column in enumerate(order):
        equal_prefix = [order[j].expression == values[j] for j in range(i)]
        ascending_walk = column.descending != forward
        step = column.expression > values[i] if ascending_walk else column.expression < values[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)


async def paginate(
    db: Database,
    stmt: Select[Any],
    order: Sequence[SortColumn],
    page: PageRequest,
    *,
    default_size: int,
    max_size: int,
    build: Callable[[Row[Any]], T],
    count_statement: Select[Any] | None = None,
) -> Page[T]:
    """Run `stmt` for one page. The last entry of `order` must be unique (the primary key).
    `totalCount` counts the rows of `stmt`, or runs `count_statement` when one is given."""
    size, backward = page.resolve(default_size, max_size)
    filtered = stmt
    cursor = page.before if backward else page.after
    if cursor is not None:
        field_name = "before" if backward else "after"
        values = decode_cursor(cursor, len(order), field_name)
        _check_cursor_values(order, values, field_name)
        filtered = filtered.where(_seek(order, values, forward=not backward))
    counting = count_statement
    if counting is None:
        counting = select(func.count()).select_from(stmt.order_by(None).subquery())

    async def count() -> int:
        async with db.read() as conn:
            total = await conn.execute(counting)
        return int(total.scalar_one())

    if size == 0:
        return Page([], [], False, False, count)
    directions = [
        (c.expression.desc() if c.descending != backward else c.expression.asc()) for c in order
    ]
    async with db.read() as conn:
        result = await conn.execute(filtered.order_by(*directions).limit(size + 1))
        rows = list(result.all())
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
    cursors = [encode_cursor([row._mapping[c.label] for c in order]) for row in rows]
    return Page(
        items=[build(row) for row in rows],
        cursors=cursors,
        has_next_page=more if not backward else page.before is not None,
        has_previous_page=more if backward else page.after is not None,
        count=count,
    )
