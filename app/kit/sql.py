"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

_BIGINT_ARRAY = ARRAY(BigInteger())


def id_in(column: Any, ids: Sequence[int], dialect: str) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL one array parameter instead of hundreds of scalars."""
    condition: ColumnElement[bool]
    if dialect == "postgresql":
        param = bindparam(None, value=list(ids), type_=_BIGINT_ARRAY)
        condition = column == any_(param)
        # Building the comparison memoises a comparator on the parameter that points back at
        # it: a reference cycle per call, which only the cycle collector would free.
        param.__dict__.pop("comparator", None)
        return condition
    condition = column.in_(list(ids))
    forget_memos(condition.right)  # type: ignore[attr-defined]
    return condition


def forget_memos(param: Any) -> None:
    """An expanding parameter memoises the set of its clones, itself included, and so refers
    to itself: a reference cycle per list condition built, for the cycle collector to free.
    The memos are only caches; dropping them breaks the cycle."""
    while param is not None:
        param._reset_memoizations()
        param = param.__dict__.get("_is_clone_of")


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
