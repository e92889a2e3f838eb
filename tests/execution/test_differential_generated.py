"""Documents generated from the schema (hypothesis-graphql, reshaped to use variables,
fragments, aliases and @skip/@include) run against the demo data on both execution paths:
the answers, data and processed errors in order, must be the same."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from graphql import DocumentNode, StringValueNode, print_ast, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.auth.viewer import ANONYMOUS, Viewer, ViewerKind
from app.config import Settings
from app.database import Database
from app.demo.loader import load_demo
from app.models.staff import StaffRole
from schema.context import Context
from schema.execution import differential
from schema.execution.context import CompiledExecutionContext
from schema.schema import schema
from tests.conftest import truncate_all
from tests.execution.documents import RealValues, reshape

ADMIN = Viewer(kind=ViewerKind.STAFF, staff_id=1, role=StaffRole.ADMIN)
ROOT_FIELDS = [
    "node", "nodes", "channels", "products", "product", "variant", "categories",
    "locations", "stockPool", "inventoryLevels", "inventoryMovements", "customers",
]  # fmt: skip
SCALARS = {
    "DateTime": st.sampled_from(["2020-01-01T00:00:00+00:00", "2099-12-31T23:59:59Z"]).map(
        lambda text: StringValueNode(value=text)
    ),
    "Decimal": st.sampled_from(["0", "19.99", "-1", "1e3"]).map(
        lambda text: StringValueNode(value=text)
    ),
    "JSON": st.just(StringValueNode(value="{}")),
}
REAL_VALUES_QUERY = """
{
  products(first: 4, channel: "web") { nodes { id handle variants { id sku } } }
  categories { id }
  locations(first: 3) { nodes { id } }
  channels { code }
}
"""


class Demo:
    def __init__(self, db: Database, settings: Settings, real: RealValues) -> None:
        self.db, self.settings, self.real = db, settings, real

    def context(self, viewer: Viewer) -> Context:
        return Context(
            db=self.db, settings=self.settings, viewer=viewer, request_id=uuid.uuid4().hex
        )


@pytest.fixture(scope="module")
async def demo(migrated_db: Database, database_url: str) -> AsyncIterator[Demo]:
    await truncate_all(migrated_db)
    await load_demo(migrated_db)
    settings = Settings(database_url=database_url, redis_url=None)
    demo = Demo(migrated_db, settings, RealValues())
    found = await schema.execute(REAL_VALUES_QUERY, context_value=demo.context(ADMIN))
    assert found.errors is None
    assert found.data is not None
    products = found.data["products"]["nodes"]
    variants = [v for p in products for v in p["variants"]][:6]
    ids = [p["id"] for p in products] + [v["id"] for v in variants]
    ids += [c["id"] for c in found.data["categories"][:2]]
    ids += [n["id"] for n in found.data["locations"]["nodes"]]
    channels = [c["code"] for c in found.data["channels"]]
    demo.real.by_argument = {
        "id": ids, "ids": ids, "variantId": ids, "locationId": ids,
        "sku": [v["sku"] for v in variants],
        "handle": [p["handle"] for p in products], "channel": channels,
        "locale": ["en", "fr", "xx"], "first": ["1", "2", "3"], "search": ["a", "Jacket"],
    }  # fmt: skip
    yield demo
    await truncate_all(migrated_db)


@pytest.fixture(scope="module")
def single_path() -> Iterator[None]:
    """This module compares the paths itself, processed errors included."""
    was_on = differential.enabled()
    differential.enable(False)
    yield
    differential.enable(was_on)


def _answer(result: Any) -> dict[str, Any]:
    errors = differential.in_root_order(result.errors)
    return {"data": result.data, "errors": [e.formatted for e in errors]}


async def _both_paths(demo: Demo, text: str, variables: dict[str, Any], viewer: Viewer) -> None:
    context = demo.context(viewer)
    runs: list[object] = []
    original = CompiledExecutionContext.execute_plan

    def counted(self: CompiledExecutionContext, plan: Any) -> Any:
        runs.append(plan)
        return original(self, plan)

    CompiledExecutionContext.execute_plan = counted  # type: ignore[method-assign]
    try:
        compiled = await schema.execute(text, variables, context_value=context)
    finally:
        CompiledExecutionContext.execute_plan = original  # type: ignore[method-assign]
    schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
    try:
        standard = await schema.execute(text, variables, context_value=context)
    finally:
        schema.execution_context_class = CompiledExecutionContext
    left, right = differential.comparable(_answer(compiled), _answer(standard))
    assert left == right, (text, variables)
    executed = compiled.data is not None or any(e.path is not None for e in compiled.errors or ())
    assert runs or not executed, "a generated query was not run on the compiled path"


DOCUMENTS = queries(
    schema._schema, fields=ROOT_FIELDS, custom_scalars=SCALARS, print_ast=lambda d: d
)


@pytest.mark.usefixtures("single_path")
# Some generated documents are large; hypothesis warns about the size of their repr.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=DOCUMENTS, seed=st.integers(0, 2**32), staff=st.booleans())
async def test_generated_queries_answer_the_same_on_both_paths(
    demo: Demo, document: DocumentNode, seed: int, staff: bool
) -> None:
    reshaped, variables = reshape(document, schema._schema, random.Random(seed), demo.real)
    assert validate(schema._schema, reshaped) == [], print_ast(reshaped)
    await _both_paths(demo, print_ast(reshaped), variables, ADMIN if staff else ANONYMOUS)
