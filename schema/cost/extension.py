"""The cost extension: prices each operation before it runs, refuses what is too dear or too
long, charges the client's bucket and reports `extensions.cost` on every response.

Only `on_validate` and `on_execute` are used (no per-field hooks), so the price is known
before any SQL runs and the extension works with any executor. Refusals happen in
`on_validate`, once the validation cache has validated the document: an error put in
`pre_execution_errors` there stops queries, mutations and subscriptions alike. `on_execute`
only gives back, after the answer, what it did not use.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.auth.viewer import Viewer
from app.config import Settings
from app.kit.leaky_bucket import Bucket
from schema.cost.analysis import Analyser, Limits, actual_cost
from schema.cost.rules import LIST_SIZE_SETTINGS
from schema.errors import ApiError


def bucket_key(viewer: Viewer, address: str) -> str:
    """Whose bucket pays: a partner key, a token, or the address of an anonymous caller."""
    if viewer.partner_id is not None:
        return f"partner:{viewer.partner_id}"
    if viewer.token_id is not None:
        return f"token:{viewer.token_id}"
    return f"address:{address}"


def _coded(message: str, code: str, **numbers: int) -> ApiError:
    error = ApiError(message, code)
    error.extensions = {**(error.extensions or {}), **numbers}
    return error


class QueryCost(SchemaExtension):
    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None
        self._charge: tuple[Bucket, str, int, int, int] | None = None

    def _refuse(self, error: GraphQLError) -> None:
        self.execution_context.pre_execution_errors = [error]

    async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
        ec = self.execution_context
        settings: Settings | None = getattr(ec.context, "settings", None)
        # Invalid documents keep their validation errors; there is nothing to price.
        if (
            settings is not None
            and ec.graphql_document is not None
            and not (ec.pre_execution_errors)
        ):
            await self._price(settings)
        yield

    async def _price(self, settings: Settings) -> None:
        ec = self.execution_context
        context = ec.context
        viewer: Viewer = context.viewer
        limits = Limits(
            default_page_size=settings.page_size_default,
            max_page_size=settings.page_size_max,
            string_max=settings.input_string_max,
            search_max=settings.search_string_max,
            max_depth=settings.query_depth_max,
            max_aliases=settings.query_aliases_max,
            list_sizes={name: int(getattr(settings, name)) for name in LIST_SIZE_SETTINGS},
        )
        assert ec.graphql_document is not None
        try:
            analysis = Analyser(ec.schema._schema, ec.variables, limits).analyse(
                ec.graphql_document, ec.operation_name
            )
        except ApiError as refused:
            self._refuse(refused)
            return
        context.extras["operation"] = analysis.operation_name
        if analysis.introspection and viewer.kind.value in settings.introspection_disabled_for:
            self._refuse(ApiError("Introspection is off for this kind of client",
                                  "INTROSPECTION_DISABLED"))  # fmt: skip
            return
        requested = analysis.cost
        capacity = viewer.cost_budget or settings.cost_bucket_size
        rate = settings.cost_restore_rate
        self.report = {"requestedQueryCost": requested, "actualQueryCost": 0}
        context.extras["cost"] = requested
        maximum = min(settings.query_cost_max, capacity)
        if requested > maximum:
            self._refuse(_coded(
                f"The query costs {requested}, over the maximum of {maximum}; ask for fewer "
                "items (first/last) or fewer fields", "MAX_COST_EXCEEDED",
                cost=requested, maximumCost=maximum,
            ))  # fmt: skip
            return
        bucket: Bucket | None = context.extras.get("throttle")
        if bucket is None:
            return
        key = bucket_key(viewer, str(context.extras.get("address", "unknown")))
        state = await bucket.take(key, requested, capacity, rate)
        self.report["throttleStatus"] = {
            "maximumAvailable": capacity,
            "currentlyAvailable": int(state.available),
            "restoreRate": rate,
        }
        if not state.allowed:
            self._refuse(_coded(
                f"Throttled: the query costs {requested} and {int(state.available)} points are "
                f"available; {rate} come back every second", "THROTTLED",
                cost=requested, currentlyAvailable=int(state.available),
            ))  # fmt: skip
            return
        self._charge = (bucket, key, requested, capacity, rate)

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        yield
        data = getattr(self.execution_context.result, "data", None)
        if self._charge is None or self.report is None or not isinstance(data, dict):
            return
        bucket, key, requested, capacity, rate = self._charge
        actual = sum(actual_cost(value) for value in data.values())
        self.report["actualQueryCost"] = actual
        if actual < requested:
            # Charged for the worst case; what the answer did not use goes back.
            available = await bucket.refund(key, requested - actual, capacity, rate)
            self.report["throttleStatus"]["currentlyAvailable"] = int(available)

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.report} if self.report is not None else {}
