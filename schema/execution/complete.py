"""Completion functions, one specialised per return type of each planned field, with the
same rules, checks and messages as graphql-core's `complete_value` and its helpers."""

from __future__ import annotations

from collections.abc import Awaitable
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.executor import collect_iterator_awaitables, invalid_return_type_error
from graphql.pyutils import Undefined, inspect, is_iterable

from schema.execution.gather import gather_into
from schema.execution.run import (
    PLAIN,
    Chain,
    Run,
    await_completion,
    complete_awaited,
    field_chain,
    note_plain,
)

if TYPE_CHECKING:
    from schema.execution.plan import Compiler, Completer, FieldPlan

_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1


def build_completer(compiler: Compiler, field: FieldPlan, type_: GraphQLOutputType) -> Completer:
    """The completion of a value of `type_`; a non-null type raises (to the nearest nullable
    parent) where the nullable one would give null."""
    null: str | None = None
    if is_non_null_type(type_):
        null = field.null_message
        type_ = type_.of_type
    if is_list_type(type_):
        return _list(compiler, field, type_, null)
    if is_leaf_type(type_):
        return _leaf(type_, null)
    if is_abstract_type(type_):
        return _abstract(compiler, field, type_, null)
    if is_object_type(type_):
        return _object(compiler, field, type_, null)
    raise TypeError(f"Cannot complete value of unexpected output type: '{inspect(type_)}'.")


def _leaf(type_: GraphQLLeafType, null: str | None) -> Completer:
    coerce = type_.coerce_output_value
    # The values each built-in scalar passes through unchanged.
    same: type | None = (
        str
        if type_ is GraphQLString or type_ is GraphQLID
        else bool
        if type_ is GraphQLBoolean
        else None
    )
    is_int = type_ is GraphQLInt

    def complete_leaf(run: Run, value: Any, chain: Chain) -> Any:
        cls = value.__class__
        if cls is same:
            return value
        if is_int and cls is int and _MIN_INT <= value <= _MAX_INT:
            return value
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if null is not None:
                raise TypeError(null)
            return None
        coerced = coerce(value)
        if coerced is Undefined or coerced is None:
            raise TypeError(
                f"Expected `{inspect(type_)}.coerce_output_value({inspect(value)})`"
                f" to return non-nullable value, returned: {inspect(coerced)}"
            )
        return coerced

    return complete_leaf


def _list(
    compiler: Compiler, field: FieldPlan, type_: GraphQLList[Any], null: str | None
) -> Completer:
    item_type = type_.of_type
    complete_item = build_completer(compiler, field, item_type)
    item_non_null = is_non_null_type(item_type)
    nodes = field.nodes
    not_iterable = (
        "Expected Iterable, but did not find one for field"
        f" '{field.parent_name}.{field.node.name.value}'."
    )

    def complete_list(run: Run, value: Any, chain: Chain) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if null is not None:
                raise TypeError(null)
            return None
        executor = run.executor
        if executor.is_async_iterable(value):
            # Streams of items are rare: graphql-core completes this list and its items.
            info = run.info(field, field_chain(chain))
            return executor.complete_list_value(type_, field.details, info, info.path, value, None)
        if not is_iterable(value):
            raise GraphQLError(not_iterable)
        is_awaitable = run.is_awaitable
        results: list[Any] = []
        pending: list[int] | None = None
        iterator = iter(value)
        index = 0
        try:
            for item in iterator:
                item_chain = (chain, index, None)
                cls = item.__class__
                if cls not in PLAIN and is_awaitable(item):
                    results.append(
                        complete_awaited(run, complete_item, nodes, item_non_null, item, item_chain)
                    )
                    pending = pending or []
                    pending.append(index)
                else:
                    try:
                        if cls not in PLAIN:
                            note_plain(cls)
                        completed = complete_item(run, item, item_chain)
                        if completed.__class__ is CoroutineType:
                            completed = await_completion(
                                run, nodes, item_non_null, completed, item_chain
                            )
                            pending = pending or []
                            pending.append(index)
                    except Exception as raw_error:
                        run.field_error(raw_error, nodes, item_non_null, item_chain)
                        completed = None
                    results.append(completed)
                index += 1
        except Exception:
            waiting: list[Awaitable[Any]] = [results[i] for i in pending or ()]
            waiting.extend(collect_iterator_awaitables(iterator, is_awaitable))
            if waiting:
                executor.settle_in_background(waiting)
            raise
        if pending is None:
            return results
        return gather_into(results, pending)

    return complete_list


def _object(
    compiler: Compiler, field: FieldPlan, object_type: GraphQLObjectType, null: str | None
) -> Completer:
    from schema.execution.fields import execute_fields

    plan = compiler.object_plan(object_type, field.details)
    is_type_of = object_type.is_type_of
    # strawberry's generated checks only look at the value, so they get no ResolveInfo.
    needs_info = is_type_of is not None and not _value_only(is_type_of)
    details = field.details

    def complete_object(run: Run, value: Any, chain: Chain) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if null is not None:
                raise TypeError(null)
            return None
        if is_type_of is not None:
            info = run.info(field, field_chain(chain)) if needs_info else None
            matches: Any = is_type_of(value, info)  # type: ignore[arg-type]
            if run.is_awaitable(matches):
                return _object_after_check(run, plan, matches, value, chain)
            if not matches:
                raise invalid_return_type_error(object_type, value, details)
        return execute_fields(run, plan.fields, value, chain)

    return complete_object


async def _object_after_check(
    run: Run, plan: Any, matches: Awaitable[Any], value: Any, chain: Chain
) -> Any:
    from schema.execution.fields import execute_fields

    if not await matches:
        raise invalid_return_type_error(plan.object_type, value, plan.details)
    fields = execute_fields(run, plan.fields, value, chain)
    if run.is_awaitable(fields):
        return await fields
    return fields


def _value_only(is_type_of: Any) -> bool:
    return bool(
        getattr(is_type_of, "__module__", "").startswith("strawberry.")
        and getattr(is_type_of, "__qualname__", "").endswith("_get_is_type_of.<locals>.is_type_of")
    )


def _abstract(
    compiler: Compiler, field: FieldPlan, abstract_type: GraphQLAbstractType, null: str | None
) -> Completer:
    by_type: dict[str, Completer] = {}

    def for_runtime_type(object_type: GraphQLObjectType) -> Completer:
        complete = by_type.get(object_type.name)
        if complete is None:
            # The value is not null here, so the runtime type's completion needs no null check.
            complete = by_type[object_type.name] = _object(compiler, field, object_type, None)
        return complete

    def complete_abstract(run: Run, value: Any, chain: Chain) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if null is not None:
                raise TypeError(null)
            return None
        executor = run.executor
        info = run.info(field, field_chain(chain))
        resolve_type = abstract_type.resolve_type or executor.type_resolver
        runtime_type: Any = resolve_type(value, info, abstract_type)
        if run.is_awaitable(runtime_type):
            return _abstract_after_resolve(run, for_runtime_type, runtime_type, abstract_type,
                                           field, info, value, chain)  # fmt: skip
        object_type = executor.ensure_valid_runtime_type(
            runtime_type, abstract_type, field.details, info, value
        )
        return for_runtime_type(object_type)(run, value, chain)

    return complete_abstract


async def _abstract_after_resolve(
    run: Run,
    for_runtime_type: Any,
    runtime_type: Awaitable[Any],
    abstract_type: GraphQLAbstractType,
    field: FieldPlan,
    info: Any,
    value: Any,
    chain: Chain,
) -> Any:
    object_type = run.executor.ensure_valid_runtime_type(
        await runtime_type, abstract_type, field.details, info, value
    )
    completed = for_runtime_type(object_type)(run, value, chain)
    if run.is_awaitable(completed):
        return await completed
    return completed
