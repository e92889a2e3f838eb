"""A small schema that exercises the hard parts of execution: non-null lists, errors inside
lists, abstract types, coded and unexpected errors, sync and async resolvers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.scalars import JSON

from app.errors import NotFound
from schema import fast_paths
from schema.errors import CodedErrorsSchema
from schema.execution.context import CompiledExecutionContext
from schema.relay import Node


@strawberry.enum
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


@strawberry.type
class Tag:
    label: str
    shade: Shade


@strawberry.type
class Item(Node):
    name: str
    price: Decimal
    made_at: datetime
    meta: JSON
    tags: list[Tag]
    fail_with: strawberry.Private[str | None] = None

    @strawberry.field
    def label(self, prefix: str = "", upper: bool = False) -> str:
        text = prefix + self.name
        return text.upper() if upper else text

    @strawberry.field
    def must(self) -> str:
        if self.fail_with == "domain":
            raise NotFound("No such thing", field="id")
        if self.fail_with == "crash":
            raise RuntimeError("database went away")
        if self.fail_with == "null":
            return None  # type: ignore[return-value]
        return self.name

    @strawberry.field
    def maybe(self) -> str | None:
        if self.fail_with:
            raise NotFound("Nothing here")
        return self.name

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        await asyncio.sleep(0)
        if self.fail_with == "crash":
            raise RuntimeError("late failure")
        return f"{self.name}@{info.path.as_list()}"


@strawberry.type
class Person(Node):
    nickname: str


Thing = Annotated[Item | Tag, strawberry.union("Thing")]


def _item(n: int, fail_with: str | None = None) -> Item:
    return Item(
        id=strawberry.ID(f"item-{n}"),
        name=f"item {n}",
        price=Decimal(f"{n}.50"),
        made_at=datetime(2024, 1, n, 12, 0, tzinfo=UTC),
        meta={"n": n, "ok": True},
        tags=[Tag(label=f"t{n}", shade=Shade.DARK)],
        fail_with=fail_with,
    )


@strawberry.type
class Query:
    @strawberry.field
    def items(self, fail: list[int] | None = None, how: str = "crash") -> list[Item]:
        return [_item(n, how if n in (fail or []) else None) for n in range(1, 4)]

    @strawberry.field
    def strict_items(self, fail: int = 0, how: str = "null") -> list[Item] | None:
        return [_item(n, how if n == fail else None) for n in range(1, 4)]

    @strawberry.field
    def sparse(self) -> list[Item | None]:
        return [_item(1), None, _item(3)]

    @strawberry.field
    def dense(self) -> list[Item] | None:
        return [_item(1), None, _item(3)]  # type: ignore[list-item]

    @strawberry.field
    async def node(self, id: strawberry.ID) -> Node | None:
        await asyncio.sleep(0)
        if id.startswith("person"):
            return Person(id=id, nickname="Ada")
        if id.startswith("item"):
            return _item(int(id.rsplit("-", 1)[1]))
        raise NotFound(f"No node {id}", field="id")

    @strawberry.field
    def things(self) -> list[Thing]:
        return [_item(1), Tag(label="loose", shade=Shade.LIGHT)]

    @strawberry.field
    async def slow_item(self, n: int = 1, fail_with: str | None = None) -> Item:
        await asyncio.sleep(0)
        return _item(n, fail_with)

    @strawberry.field
    def info_path(self, info: strawberry.Info) -> list[str]:
        return [str(key) for key in info.path.as_list()] + [f.name for f in info.selected_fields]

    @strawberry.field
    def echo(self, value: JSON) -> JSON:
        return value


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> int:
        return 1


_parsed = ParserCache(maxsize=64)
_validated = ValidationCache(maxsize=64)


def build() -> strawberry.Schema:
    built = CodedErrorsSchema(
        query=Query,
        mutation=Mutation,
        types=[Person],
        # as the real schema: documents parsed and validated once
        extensions=[lambda: _parsed, lambda: _validated],
        execution_context_class=CompiledExecutionContext,
    )
    fast_paths.install(built)
    return built


sample = build()


class Ctx:
    request_id = "req-1"


CONTEXT = Ctx()
