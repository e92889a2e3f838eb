"""The hook: strawberry's execution context, running query operations on compiled plans.

Falls back to graphql-core's standard executor for the whole operation when:
- the operation is a mutation or a subscription (or the caller asks for serial execution);
- a schema extension hooks `resolve` (strawberry passes those as middleware);
- an abort signal or execution hooks are given, error propagation is disabled on the
  operation, or the schema has @defer/@stream (incremental delivery);
- the document uses fragment arguments, or selects `__schema`/`__type` (introspection);
- compiling the plan hits the recursion limit.
Within a planned operation, an async-iterable list value is completed by graphql-core.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from graphql import GraphQLError, OperationType
from graphql.execution import ExecutionResult, ExperimentalIncrementalExecutionResults
from graphql.pyutils import AwaitableOrValue, gather_with_cancel
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution import differential
from schema.execution.cache import PlanCache, RootPlan
from schema.execution.fields import execute_fields
from schema.execution.run import Run

plans = PlanCache()

Result = ExecutionResult | ExperimentalIncrementalExecutionResults


class CompiledExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core hands resolvers helpers bound to the executor, which the executor
        # itself holds: a reference cycle per request. The same helpers, holding it weakly.
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=_gather, track=_weak_track(weakref.ref(self))
        )

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Result]:
        plan = self.compiled_plan() if serially is None else None
        if plan is None:
            return super().execute_operation(serially)
        if differential.enabled():
            return differential.compare(self, plan, self.execute_plan)
        return self.execute_plan(plan)

    def compiled_plan(self) -> RootPlan | None:
        if self.operation.operation is not OperationType.QUERY:
            return None
        middleware = self.middleware_manager
        if middleware is not None and middleware.middlewares:
            return None
        if self.abort_signal is not None or self.hooks is not None or not self.error_propagation:
            return None
        schema = self.schema
        if schema.get_directive("defer") or schema.get_directive("stream"):
            return None
        return plans.plan(self)

    def execute_plan(self, plan: RootPlan) -> AwaitableOrValue[Result]:
        """graphql-core's `execute_operation`, with the root fields run by the plan."""
        try:
            data = execute_fields(Run(self), plan.fields, self.root_value, None)
            if self.is_awaitable(data):
                return self._await_data(data)
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.finish(self.build_response(None))
        return self.finish(self.build_response(data))

    async def _await_data(self, data: Any) -> Result:
        try:
            completed = await data
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        except Exception:
            self.run_async_work_finished_hook()
            raise
        return self.build_response(completed)


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)


def _weak_track(
    executor: weakref.ReferenceType[CompiledExecutionContext],
) -> Callable[[Sequence[Any]], None]:
    def track(values: Sequence[Any]) -> None:
        alive = executor()
        if alive is not None:
            alive.track_async_work(values)

    return track
