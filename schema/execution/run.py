"""Per-request execution state and the response paths the compiled plan builds lazily."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from decimal import Decimal
from types import GeneratorType
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, GraphQLResolveInfo, located_error
from graphql.execution import Executor
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

if TYPE_CHECKING:
    from schema.execution.plan import FieldPlan

# A response position as nested tuples (previous position, key, parent type name): cheaper
# to make than graphql-core's Path, and turned into one only for a ResolveInfo or an error.
Chain = tuple[Any, str | int, str | None] | None


def chain_keys(chain: Chain) -> list[str | int]:
    keys: list[str | int] = []
    while chain is not None:
        keys.append(chain[1])
        chain = chain[0]
    keys.reverse()
    return keys


def chain_path(chain: Chain) -> Path | None:
    segments = []
    while chain is not None:
        segments.append(chain)
        chain = chain[0]
    path: Path | None = None
    for _prev, key, typename in reversed(segments):
        path = Path(path, key, typename)
    return path


def field_chain(chain: Chain) -> Chain:
    """The position of the field a (possibly nested) list item belongs to."""
    while chain is not None and isinstance(chain[1], int):
        chain = chain[0]
    return chain


# Classes of resolver results known not to be awaitable: neither coroutines nor generators,
# and without __await__ (which `await` looks up on the class). Checked before graphql-core's
# is_awaitable, which costs several isinstance/hasattr calls per value.
PLAIN: set[type] = {
    str, int, float, bool, type(None), list, tuple, dict, Decimal,
    datetime.datetime, datetime.date,
}  # fmt: skip
_PLAIN_MAX = 4096


def note_plain(cls: type) -> None:
    if (
        len(PLAIN) < _PLAIN_MAX
        and not hasattr(cls, "__await__")
        and not issubclass(cls, GeneratorType)
    ):
        PLAIN.add(cls)


class Run:
    """What one execution of a plan needs besides the plan: the executor graphql-core built
    for the request (variables, context, collected errors) and the arguments coerced so far.
    It holds no reference back from the executor, so a request leaves no cycle behind."""

    __slots__ = ("arguments", "errors", "executor", "is_awaitable")

    def __init__(self, executor: Executor[Any]) -> None:
        self.executor = executor
        self.is_awaitable: Callable[[Any], bool] = executor.is_awaitable
        self.errors = executor.collected_errors
        # Coerced once per field node per request, not once per object.
        self.arguments: dict[FieldPlan, dict[str, Any]] = {}

    def arguments_of(self, field: FieldPlan) -> dict[str, Any]:
        arguments = self.arguments.get(field)
        if arguments is None:
            executor = self.executor
            arguments = get_argument_values(
                field.definition,
                field.node,
                executor.variable_values,
                None,
                executor.hide_suggestions,
            )
            self.arguments[field] = arguments
        return arguments

    def info(self, field: FieldPlan, chain: Chain) -> GraphQLResolveInfo[Any]:
        path = chain_path(chain)
        assert path is not None
        return self.executor.build_resolve_info(
            field.definition, field.nodes, field.parent_type, path
        )

    def field_error(
        self, raw_error: Exception, nodes: list[FieldNode], non_null: bool, chain: Chain
    ) -> None:
        """Locate an error at its field: raised on to the parent when the position is
        non-null (null propagation), otherwise recorded and the position becomes null."""
        error = located_error(raw_error, nodes, chain_keys(chain))
        if non_null:
            raise error
        self.errors.add(error, chain_path(chain))


async def complete_awaited(
    run: Run,
    complete: Callable[[Run, Any, Chain], Any],
    nodes: list[FieldNode],
    non_null: bool,
    awaitable: Awaitable[Any],
    chain: Chain,
) -> Any:
    """A resolver's (or list item's) awaitable value, awaited and completed."""
    try:
        completed = complete(run, await awaitable, chain)
        if run.is_awaitable(completed):
            completed = await completed
    except Exception as raw_error:
        run.field_error(raw_error, nodes, non_null, chain)
        return None
    return completed


async def await_completion(
    run: Run, nodes: list[FieldNode], non_null: bool, completed: Awaitable[Any], chain: Chain
) -> Any:
    """A completion that became asynchronous further down."""
    try:
        return await completed
    except Exception as raw_error:
        run.field_error(raw_error, nodes, non_null, chain)
        return None
