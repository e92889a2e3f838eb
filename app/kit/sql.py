"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def id_in(column: Any, ids: Sequence[int], dialect: str) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL one array parameter instead of hundreds of scalars."""
    if dialect == "postgresql":
        param = bindparam(None, value=list(ids), type_=ARRAY(BigInteger()))
        return column == any_(param)  # type: ignore[no-any-return]
    return column.in_(list(ids))  # type: ignore[no-any-return]


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
