"""The suite-wide comparison of the two paths does not distort what tests measure."""

from __future__ import annotations

import httpx

from app.database import Database
from schema.execution import differential
from tests.conftest import StatementCounter
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import gql

LISTING = """
query Listing {
  products(channel: "web", first: 3) {
    totalCount
    nodes { handle variants { sku price { amount } } }
  }
}
"""


async def _count(client: httpx.AsyncClient, counter: StatementCounter, compare: bool) -> int:
    was_on = differential.enabled()
    differential.enable(compare)
    try:
        counter.statements.clear()
        body = await gql(client, LISTING)
        assert len(body["data"]["products"]["nodes"]) == 3
        return counter.count
    finally:
        differential.enable(was_on)


async def test_statements_of_the_comparison_run_are_not_counted(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # given
    web = await create_channel(db, code="web")
    for n in range(4):
        await create_product(db, handle=f"p{n}", channel_ids=[web.id], variants=2)
    # when the listing runs on one path, then on both
    alone = await _count(client, count_statements, compare=False)
    compared = await _count(client, count_statements, compare=True)
    # then the counter sees one run's statements either way
    assert alone > 0
    assert compared == alone, count_statements.statements
