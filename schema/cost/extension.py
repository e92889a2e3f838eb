"""The cost extension: prices each operation before it runs, refuses what is too dear or too
long, charges the client's bucket and reports `extensions.cost` on every response.

Only `on_execute` is used (no per-field hooks), so the price is known before any SQL runs and
the extension works with any executor.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.auth.viewer import Viewer
from app.kit.leaky_bucket import Bucket
from schema.cost.analysis import Analyser, Limits, actual_cost
from schema.errors import ApiError

log = logging.getLogger("omnigraph.cost")


def bucket_key(viewer: Viewer, address: str) -> str:
    """Whose bucket pays: a partner key, a token, or the address of an anonymous caller."""
    if viewer.partner_id is not None:
        return f"partner:{viewer.partner_id}"
    if viewer.token_id is not None:
        return f"token:{viewer.token_id}"
    return f"address:{address}"


class QueryCost(SchemaExtension):
    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None

    def _refuse(self, error: GraphQLError) -> None:
        self.execution_context.result = GraphQLExecutionResult(data=None, errors=[error])

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        ec = self.execution_context
        context = ec.context
        settings = getattr(context, "settings", None)
        document = ec.graphql_document
        if settings is None or document is None:
            yield
            return
        viewer: Viewer = context.viewer
        limits = Limits(
            default_page_size=settings.page_size_default,
            max_page_size=settings.page_size_max,
            string_max=settings.input_string_max,
            search_max=settings.search_string_max,
        )
        try:
            analysis = Analyser(ec.schema._schema, ec.variables, limits).analyse(
                document, ec.operation_name
            )
        except ApiError as refused:
            self._refuse(refused)
            yield
            return
        context.extras["operation"] = analysis.operation_name
        if analysis.introspection and viewer.kind.value in settings.introspection_disabled_for:
            self._refuse(ApiError("Introspection is off for this kind of client",
                                  "INTROSPECTION_DISABLED"))  # fmt: skip
            yield
            return
        requested = analysis.cost
        capacity = viewer.cost_budget or settings.cost_bucket_size
        rate = settings.cost_restore_rate
        self.report = {"requestedQueryCost": requested, "actualQueryCost": 0}
        context.extras["cost"] = requested
        maximum = min(settings.query_cost_max, capacity)
        if requested > maximum:
            too_dear = ApiError(
                f"The query costs {requested}, over the maximum of {maximum}; ask for fewer "
                "items (first/last) or fewer fields", "MAX_COST_EXCEEDED",
            )  # fmt: skip
            too_dear.extensions = {**(too_dear.extensions or {}), "cost": requested,
                                   "maximumCost": maximum}  # fmt: skip
            self._refuse(too_dear)
            yield
            return
        bucket: Bucket | None = context.extras.get("throttle")
        key = bucket_key(viewer, str(context.extras.get("address", "unknown")))
        if bucket is None:
            yield
            return
        state = await bucket.take(key, requested, capacity, rate)
        self.report["throttleStatus"] = {
            "maximumAvailable": capacity,
            "currentlyAvailable": int(state.available),
            "restoreRate": rate,
        }
        if not state.allowed:
            throttled = ApiError(
                f"Throttled: the query costs {requested} and {int(state.available)} points are "
                f"available; {rate} come back every second", "THROTTLED",
            )  # fmt: skip
            throttled.extensions = {**(throttled.extensions or {}), "cost": requested,
                                    "currentlyAvailable": int(state.available)}  # fmt: skip
            self._refuse(throttled)
            yield
            return
        yield
        result = ec.result
        data = getattr(result, "data", None)
        if not isinstance(data, dict):
            return
        actual = sum(actual_cost(value) for value in data.values())
        self.report["actualQueryCost"] = actual
        if actual < requested:
            # Charged for the worst case; what the answer did not use goes back.
            available = await bucket.refund(key, requested - actual, capacity, rate)
            self.report["throttleStatus"]["currentlyAvailable"] = int(available)

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.report} if self.report is not None else {}
