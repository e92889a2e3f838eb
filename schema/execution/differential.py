"""Running every planned operation on both paths and comparing the answers (tests turn this
on for the whole suite). The compiled answer is returned; a difference is recorded with both
answers, and logged, for the test harness to fail the test that sent the operation."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from graphql.execution import ExecutionResult
from graphql.execution.executor import Executor
from graphql.pyutils import AwaitableOrValue

if TYPE_CHECKING:
    from schema.execution.cache import RootPlan

log = logging.getLogger("omnigraph.execution")

_enabled = os.environ.get("OMNIGRAPH_EXECUTION_DIFFERENTIAL", "") == "1"
mismatches: list[str] = []
# True while the standard executor re-runs an operation, so that measurements (statement
# counts) can leave the second run out.
reference_run: ContextVar[bool] = ContextVar("reference_run", default=False)


def enabled() -> bool:
    return _enabled


def enable(on: bool = True) -> None:
    global _enabled
    _enabled = on


def compare(
    executor: Executor[Any], plan: RootPlan, execute_plan: Callable[[RootPlan], Any]
) -> AwaitableOrValue[Any]:
    compiled = execute_plan(plan)
    if executor.is_awaitable(compiled):
        return _compare_later(executor, compiled)
    if reference_run.get():
        return compiled
    token = reference_run.set(True)
    try:
        reference = _standard(executor)
    finally:
        reference_run.reset(token)
    if executor.is_awaitable(reference):
        return _compare_awaited(executor, compiled, reference)
    _check(executor, compiled, reference)
    return compiled


async def _compare_later(executor: Executor[Any], compiled: Any) -> Any:
    result = await compiled
    token = reference_run.set(True)
    try:
        reference = _standard(executor)
        if executor.is_awaitable(reference):
            reference = await reference
    finally:
        reference_run.reset(token)
    _check(executor, result, reference)
    return result


async def _compare_awaited(executor: Executor[Any], compiled: Any, reference: Any) -> Any:
    token = reference_run.set(True)
    try:
        awaited = await reference
    finally:
        reference_run.reset(token)
    _check(executor, compiled, awaited)
    return compiled


def _standard(executor: Executor[Any]) -> AwaitableOrValue[Any]:
    from schema.execution.context import CompiledExecutionContext

    # A copy with its own error list, run by the standard executor's own method.
    twin = executor.build_per_event_executor(executor.root_value)
    assert isinstance(twin, CompiledExecutionContext)
    return super(CompiledExecutionContext, twin).execute_operation()


def describe(result: ExecutionResult) -> dict[str, Any]:
    """What decides the client's answer: the data, and for each error everything the error
    processing (codes, masking) reads."""
    return {"data": result.data, "errors": [_error(e) for e in in_root_order(result.errors)]}


def in_root_order(errors: list[GraphQLError] | None) -> list[GraphQLError]:
    """The errors grouped by root field, in the order each root field raised them. Root fields
    resolve concurrently, so which of two finishes first depends on the database's timing,
    on either path alike; within one root field the order is the executor's."""
    return sorted(errors or (), key=lambda e: str(e.path[0]) if e.path else "")


def _error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    return {
        **error.formatted,
        "original": None
        if original is None
        else (
            type(original).__name__,
            str(original),
            getattr(original, "code", None),
            getattr(original, "field", None),
        ),
    }


def comparable(left: dict[str, Any], right: dict[str, Any]) -> tuple[Any, Any]:
    """Two descriptions reduced to what both executions must agree on. When an error nulls
    the whole response, sibling root fields still running are cancelled: whether their errors
    made it in first is a race (the second run, on caches the first one filled, wins it more
    often), so only root fields with errors on both sides are compared then."""
    if left["data"] is not None or right["data"] is not None:
        return left, right

    def roots(description: dict[str, Any]) -> set[Any]:
        return {(e.get("path") or [None])[0] for e in description["errors"]}

    shared = roots(left) & roots(right)

    def keep(description: dict[str, Any]) -> list[Any]:
        return [e for e in description["errors"] if (e.get("path") or [None])[0] in shared]

    return keep(left), keep(right)


def _check(executor: Executor[Any], compiled: Any, reference: Any) -> None:
    left, right = describe(compiled), describe(reference)
    reduced_left, reduced_right = comparable(left, right)
    if reduced_left == reduced_right:
        return
    operation = executor.operation
    source = operation.loc.source.body if operation.loc else repr(operation)
    report = (
        f"compiled and standard execution differ for\n{source}\n"
        f"variables: {executor.variable_values.coerced!r}\n"
        f"compiled: {left!r}\nstandard: {right!r}"
    )
    mismatches.append(report)
    log.error("%s", report)
