"""Executing a query leaves no reference cycles behind for the collector to find."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from schema.execution import differential
from tests.execution.sample import CONTEXT, sample

DOCUMENT = """
query Cycles($id: ID!) {
  items { id name price madeAt meta tags { label shade } label(prefix: "x") must later }
  node(id: $id) { __typename id ... on Item { name } }
  things { __typename ... on Tag { label } }
}
"""


@pytest.fixture
def collector_paused() -> Iterator[None]:
    was_on = differential.enabled()
    differential.enable(False)  # one path only: the comparison keeps both results alive
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        differential.enable(was_on)


@pytest.mark.usefixtures("collector_paused")
async def test_a_compiled_query_leaves_no_reference_cycles() -> None:
    # given the plan is compiled and cached by a first run
    await sample.execute(DOCUMENT, {"id": "item-2"}, context_value=CONTEXT)
    gc.collect()
    # when the same query runs again
    result = await sample.execute(DOCUMENT, {"id": "item-2"}, context_value=CONTEXT)
    # then nothing it made is only reachable through a cycle
    assert result.errors is None
    assert gc.collect() == 0
