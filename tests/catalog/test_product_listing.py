from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.database import Database
from app.models.catalog import ProductStatus
from tests.conftest import StatementCounter
from tests.factories.auth import staff_token
from tests.factories.catalog import create_category, create_product
from tests.factories.channels import create_channel
from tests.graphql import error_codes, gql

LISTING = """
query Listing($first: Int, $last: Int, $before: String, $locale: String) {
  products(channel: "web", first: $first, last: $last, before: $before, locale: $locale) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      node {
        handle title description
        media { url }
        categories { handle }
        variants {
          sku selectedOptions { name value }
          price { amount currencyCode } compareAtPrice { amount }
        }
      }
    }
  }
}
"""


async def _catalog(db: Database, count: int) -> None:
    web = await create_channel(db, code="web")
    shoes = await create_category(db)
    for n in range(count):
        await create_product(
            db, handle=f"p{n:03d}", channel_ids=[web.id], category_ids=[shoes.id], variants=4,
            titles={"en": f"Product {n:03d}", "fr": f"Produit {n:03d}"},
        )  # fmt: skip


async def test_statement_count_does_not_grow_with_page_size(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # given 120 products with 4 variants each
    await _catalog(db, 120)
    counts: dict[int, int] = {}
    statements: dict[int, list[str]] = {}
    for first in (5, 10, 50, 100):
        # when
        count_statements.statements.clear()
        body = await gql(client, LISTING, {"first": first})
        counts[first] = count_statements.count
        statements[first] = list(count_statements.statements)
        # then every page is whole
        edges = body["data"]["products"]["edges"]
        assert len(edges) == first
        assert sum(len(e["node"]["variants"]) for e in edges) == 4 * first
    assert len(set(counts.values())) == 1, statements


async def test_last_and_before_walk_backward(client: httpx.AsyncClient, db: Database) -> None:
    await _catalog(db, 6)
    last_two = (await gql(client, LISTING, {"last": 2}))["data"]["products"]
    assert [e["node"]["handle"] for e in last_two["edges"]] == ["p004", "p005"]
    assert last_two["pageInfo"]["hasPreviousPage"] is True
    before = last_two["pageInfo"]["startCursor"]
    earlier = (await gql(client, LISTING, {"last": 3, "before": before}))["data"]["products"]
    assert [e["node"]["handle"] for e in earlier["edges"]] == ["p001", "p002", "p003"]
    assert earlier["pageInfo"]["hasNextPage"] is True


async def test_titles_follow_the_locale_and_fall_back_to_the_channel_default(
    client: httpx.AsyncClient, db: Database
) -> None:
    web = await create_channel(db, code="web", default_locale="en")
    await create_product(db, handle="both", channel_ids=[web.id],
                         titles={"en": "Rain jacket", "fr": "Imperméable"})  # fmt: skip
    await create_product(db, handle="english-only", channel_ids=[web.id], titles={"en": "Scarf"})
    body = await gql(client, LISTING, {"locale": "fr"})
    titles = {e["node"]["handle"]: e["node"]["title"] for e in body["data"]["products"]["edges"]}
    assert titles == {"both": "Imperméable", "english-only": "Scarf"}


SEARCH = """
query Search($search: String, $filter: ProductFilter, $sortKey: ProductSortKey, $reverse: Boolean) {
  products(channel: "web", search: $search, filter: $filter, sortKey: $sortKey, reverse: $reverse) {
    edges { node { handle } }
  }
}
"""


def _handles(body: dict[str, object]) -> list[str]:
    assert "errors" not in body, body
    return [e["node"]["handle"] for e in body["data"]["products"]["edges"]]  # type: ignore[index]


async def test_search_matches_title_or_sku_case_insensitively(
    client: httpx.AsyncClient, db: Database
) -> None:
    web = await create_channel(db)
    await create_product(db, handle="rain-jacket", channel_ids=[web.id],
                         titles={"en": "Rain Jacket"})  # fmt: skip
    await create_product(db, handle="wool-hat", channel_ids=[web.id], titles={"en": "Wool hat"})
    assert _handles(await gql(client, SEARCH, {"search": "JACKET"})) == ["rain-jacket"]
    assert _handles(await gql(client, SEARCH, {"search": "wool-hat-1"})) == ["wool-hat"]
    assert _handles(await gql(client, SEARCH, {"search": "100%"})) == []


async def test_filter_by_category_and_price_and_sort_by_price(
    client: httpx.AsyncClient, db: Database
) -> None:
    web = await create_channel(db)
    shoes = await create_category(db, handle="shoes")
    hats = await create_category(db, handle="hats", name="Hats")
    await create_product(db, handle="cheap-shoe", channel_ids=[web.id], category_ids=[shoes.id],
                         prices={"CAD": 2000}, variants=1)  # fmt: skip
    await create_product(db, handle="dear-shoe", channel_ids=[web.id], category_ids=[shoes.id],
                         prices={"CAD": 9000}, variants=1)  # fmt: skip
    await create_product(db, handle="hat", channel_ids=[web.id], category_ids=[hats.id],
                         prices={"CAD": 5000}, variants=1)  # fmt: skip
    by_category = {"categoryHandles": ["shoes"]}
    assert sorted(_handles(await gql(client, SEARCH, {"filter": by_category}))) == [
        "cheap-shoe", "dear-shoe",
    ]  # fmt: skip
    priced = {"priceMin": "30", "priceMax": "95.50"}
    assert sorted(_handles(await gql(client, SEARCH, {"filter": priced}))) == ["dear-shoe", "hat"]
    by_price = await gql(client, SEARCH, {"sortKey": "PRICE", "reverse": True})
    assert _handles(by_price) == ["dear-shoe", "hat", "cheap-shoe"]


async def test_drafts_are_hidden_from_shoppers_but_not_from_staff(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    web = await create_channel(db)
    await create_product(db, handle="live", channel_ids=[web.id])
    await create_product(db, handle="draft", channel_ids=[web.id], status=ProductStatus.DRAFT)
    token = await staff_token(db, settings)
    assert _handles(await gql(client, SEARCH)) == ["live"]
    assert sorted(_handles(await gql(client, SEARCH, token=token))) == ["draft", "live"]
    staff_only = await gql(client, SEARCH, {"filter": {"status": ["DRAFT"]}})
    assert error_codes(staff_only) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 251}, "PAGE_SIZE_EXCEEDED"),
        ({"first": -1}, "INVALID_PAGINATION"),
        ({"first": 1, "last": 1}, "INVALID_PAGINATION"),
        ({"last": 2, "before": "not-a-cursor"}, "INVALID_CURSOR"),
        ({"locale": "de"}, "UNKNOWN_LOCALE"),
    ],
)
async def test_bad_list_arguments_get_coded_errors(
    client: httpx.AsyncClient, db: Database, variables: dict[str, object], code: str
) -> None:
    await create_channel(db)
    body = await gql(client, LISTING, variables)
    assert error_codes(body) == [code]
    assert body["data"] is None


async def test_unknown_channel_is_a_coded_error(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db)
    body = await gql(client, '{ products(channel: "nope") { totalCount } }')
    assert error_codes(body) == ["UNKNOWN_CHANNEL"]
