from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.database import Database
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import gql

WALK = """
query Walk($sortKey: ProductSortKey, $reverse: Boolean, $first: Int, $after: String,
           $last: Int, $before: String) {
  products(sortKey: $sortKey, reverse: $reverse, first: $first, after: $after,
           last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { handle }
  }
}
"""


async def _page(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    body = await gql(client, WALK, variables)
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["products"]
    return page


@pytest.fixture
async def catalog_with_ties(db: Database) -> None:
    """Seven products whose titles and prices repeat, so only the id breaks ties."""
    web = await create_channel(db)
    for n, (title, price) in enumerate(
        [("Cap", 900), ("Belt", 1500), ("Cap", 900), ("Anorak", 1500), ("Cap", 300),
         ("Belt", 900), ("Dress", 1500)]
    ):  # fmt: skip
        await create_product(db, handle=f"item-{n}", titles={"en": title}, channel_ids=[web.id],
                             prices={"CAD": price}, variants=1)  # fmt: skip


@pytest.mark.usefixtures("catalog_with_ties")
@pytest.mark.parametrize("sort_key", ["TITLE", "PRICE", "CREATED_AT", "HANDLE"])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3])
async def test_walking_pages_visits_every_product_once_in_order(
    client: httpx.AsyncClient, sort_key: str, reverse: bool, size: int
) -> None:
    # given the whole list in one page
    whole = await _page(client, sortKey=sort_key, reverse=reverse, first=50)
    expected = [n["handle"] for n in whole["nodes"]]
    assert len(expected) == 7
    # when walking forward, then backward, a page at a time
    forward: list[str] = []
    after = None
    while True:
        page = await _page(client, sortKey=sort_key, reverse=reverse, first=size, after=after)
        forward += [n["handle"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    backward: list[str] = []
    before = None
    while True:
        page = await _page(client, sortKey=sort_key, reverse=reverse, last=size, before=before)
        backward = [n["handle"] for n in page["nodes"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    # then both walks give the same order as the single page
    assert forward == expected
    assert backward == expected
