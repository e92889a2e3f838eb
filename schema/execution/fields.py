"""Resolving the fields of one object: the direct path for plain fields, a faithful
ResolveInfo for resolvers that take one (root fields, async and info-taking resolvers)."""

from __future__ import annotations

from types import CoroutineType
from typing import Any

from graphql import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLString, is_non_null_type

from schema.execution.gather import gather_into
from schema.execution.plan import FieldExecutor, FieldPlan
from schema.execution.run import (
    PLAIN,
    Chain,
    Run,
    await_completion,
    chain_path,
    complete_awaited,
    note_plain,
)

_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1


def execute_fields(run: Run, fields: tuple[FieldPlan, ...], source: Any, chain: Chain) -> Any:
    """The object's response map, or an awaitable of it when some field is asynchronous.
    Completed values are awaitable only as coroutines of this package (or of graphql-core
    for the lists it completes), so a class check is enough here."""
    results: dict[str, Any] = {}
    pending: list[str] | None = None
    try:
        for field in fields:
            value = field.execute(run, source, chain)
            results[field.key] = value
            if value.__class__ is CoroutineType:
                if pending is None:
                    pending = []
                pending.append(field.key)
    except Exception:
        if pending:
            # Siblings already running must still settle (and have their errors seen).
            run.executor.settle_in_background([results[key] for key in pending])
        raise
    if pending is None:
        return results
    return gather_into(results, pending)


def build_executor(field: FieldPlan) -> FieldExecutor:
    if field.node.name.value == "__typename":
        return _typename(field)
    if field.direct:
        return _direct(field)
    return _with_info(field)


def _typename(field: FieldPlan) -> FieldExecutor:
    name = field.parent_name

    def execute_typename(run: Run, source: Any, chain: Chain) -> Any:
        return name

    return execute_typename


def _leaf_type(field: FieldPlan) -> Any:
    type_ = field.return_type
    return type_.of_type if is_non_null_type(type_) else type_


def _passes_through(field: FieldPlan) -> type | None:
    """The class of values that the field's built-in scalar returns unchanged."""
    leaf = _leaf_type(field)
    if leaf is GraphQLString or leaf is GraphQLID:
        return str
    if leaf is GraphQLBoolean:
        return bool
    return None


def _direct(field: FieldPlan) -> FieldExecutor:
    key, parent_name, resolve, complete = (
        field.key,
        field.parent_name,
        field.resolve,
        field.complete,
    )
    nodes, non_null, static, attribute = (
        field.nodes,
        field.non_null,
        field.static_arguments,
        field.attribute,
    )
    same = _passes_through(field)
    is_int = _leaf_type(field) is GraphQLInt

    def execute_direct(run: Run, source: Any, chain: Chain) -> Any:
        try:
            if attribute is not None:
                result = getattr(source, attribute)
            else:
                arguments = run.arguments_of(field) if static is None else static
                result = resolve(source, None, **arguments) if arguments else resolve(source, None)
            cls = result.__class__
            # Scalars that complete to themselves, the bulk of a large response.
            if cls is same or (is_int and cls is int and _MIN_INT <= result <= _MAX_INT):
                return result
            position = (chain, key, parent_name)
            if cls not in PLAIN:
                if run.is_awaitable(result):
                    return complete_awaited(run, complete, nodes, non_null, result, position)
                note_plain(cls)
            completed = complete(run, result, position)
            if completed.__class__ is CoroutineType:
                return await_completion(run, nodes, non_null, completed, position)
        except Exception as raw_error:
            run.field_error(raw_error, nodes, non_null, (chain, key, parent_name))
            return None
        return completed

    return execute_direct


def _with_info(field: FieldPlan) -> FieldExecutor:
    key, parent_name, resolve, complete = (
        field.key,
        field.parent_name,
        field.resolve,
        field.complete,
    )
    nodes, non_null, static = field.nodes, field.non_null, field.static_arguments
    definition, parent_type = field.definition, field.parent_type

    def execute_with_info(run: Run, source: Any, chain: Chain) -> Any:
        position = (chain, key, parent_name)
        path = chain_path(position)
        assert path is not None
        info = run.executor.build_resolve_info(definition, nodes, parent_type, path)
        try:
            arguments = run.arguments_of(field) if static is None else static
            result = resolve(source, info, **arguments)
            if run.is_awaitable(result):
                return complete_awaited(run, complete, nodes, non_null, result, position)
            completed = complete(run, result, position)
            if completed.__class__ is CoroutineType:
                return await_completion(run, nodes, non_null, completed, position)
        except Exception as raw_error:
            run.field_error(raw_error, nodes, non_null, position)
            return None
        return completed

    return execute_with_info
