"""Relay foundations: opaque global IDs, the Node interface and cursor connections."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from app.errors import Invalid
from app.kit.pagination import Page

T = TypeVar("T")


class InvalidId(Invalid):
    code = "INVALID_ID"


MAX_KEY = 2**63


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str, field: str = "id") -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode((global_id + "=" * (-len(global_id) % 4)).encode()).decode()
        type_name, _, pk = raw.partition(":")
        # Keys are positive 64-bit integers; anything else cannot name a row.
        if not type_name or not pk.isdigit() or not 0 < int(pk) < MAX_KEY:
            raise ValueError(raw)
        return type_name, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidId(f"'{global_id}' is not a valid ID", field=field) from exc


def decode_id(global_id: str, expected: str, field: str = "id") -> int:
    """The primary key inside a global ID that must belong to `expected`."""
    type_name, pk = from_global_id(global_id, field)
    if type_name != expected:
        raise InvalidId(f"'{global_id}' is not the ID of a {expected}", field=field)
    return pk


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    id: strawberry.ID


NodeResolver = Callable[[Info[Any, Any], Sequence[int]], Awaitable[dict[int, Any]]]
_RESOLVERS: dict[str, NodeResolver] = {}


def register_node(type_name: str, resolver: NodeResolver) -> None:
    """Let `node(id:)` fetch objects of `type_name`; the resolver applies visibility rules."""
    _RESOLVERS[type_name] = resolver


async def resolve_nodes(info: Info[Any, Any], ids: Sequence[str]) -> list[Node | None]:
    wanted: dict[str, list[int]] = {}
    keys = []
    for global_id in ids:
        type_name, pk = from_global_id(global_id, "ids" if len(ids) > 1 else "id")
        keys.append((type_name, pk))
        wanted.setdefault(type_name, []).append(pk)
    unknown = [t for t in wanted if t not in _RESOLVERS]
    if unknown:
        raise InvalidId(f"No object type '{unknown[0]}' has IDs", field="id")
    found: dict[str, dict[int, Any]] = {}
    for type_name, pks in wanted.items():
        found[type_name] = await _RESOLVERS[type_name](info, pks)
    return [found[t].get(pk) for t, pk in keys]


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def from_page(cls, page: Page[Any], nodes: list[T]) -> Connection[T]:
        return cls(
            edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)],
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            _count=page.count,
        )
