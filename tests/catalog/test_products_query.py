from __future__ import annotations

import httpx

from app.database import Database
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import error_codes, gql

PRODUCTS = """
query Products($channel: String, $locale: String, $first: Int, $after: String, $search: String) {
  products(channel: $channel, locale: $locale, first: $first, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id handle title variants { sku price { amount currencyCode } } } }
  }
}
"""


async def test_products_lists_published_products_with_variants_and_prices(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    web = await create_channel(db, code="web")
    await create_product(db, handle="trail-runner", channel_ids=[web.id], prices={"CAD": 12000})
    await create_product(db, handle="unpublished")
    # when
    body = await gql(client, PRODUCTS, {"channel": "web"})
    # then
    assert "errors" not in body, body
    products = body["data"]["products"]
    assert products["totalCount"] == 1
    node = products["edges"][0]["node"]
    assert node["handle"] == "trail-runner"
    assert node["variants"][0] == {
        "sku": "TRAIL-RUNNER-0",
        "price": {"amount": "120.00", "currencyCode": "CAD"},
    }


async def test_products_pages_forward_with_cursors(client: httpx.AsyncClient, db: Database) -> None:
    # given
    web = await create_channel(db)
    for n in range(5):
        await create_product(db, handle=f"p{n}", channel_ids=[web.id], variants=1)
    # when
    first = (await gql(client, PRODUCTS, {"first": 2}))["data"]["products"]
    second = await gql(client, PRODUCTS, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    # then
    assert [e["node"]["handle"] for e in first["edges"]] == ["p0", "p1"]
    page = second["data"]["products"]
    assert [e["node"]["handle"] for e in page["edges"]] == ["p2", "p3"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_page_size_over_the_cap_is_a_coded_error(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db)
    body = await gql(client, PRODUCTS, {"first": 251})
    assert error_codes(body) == ["PAGE_SIZE_EXCEEDED"]


async def test_unknown_locale_is_a_coded_error(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db)
    body = await gql(client, PRODUCTS, {"locale": "xx"})
    assert error_codes(body) == ["UNKNOWN_LOCALE"]
