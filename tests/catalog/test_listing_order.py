"""A channel's product list follows the catalog's writes: titles, prices, status, publication."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import gql

LIST = """
query List($sortKey: ProductSortKey, $locale: String, $reverse: Boolean) {
  products(channel: "web", sortKey: $sortKey, locale: $locale, reverse: $reverse, first: 10) {
    totalCount
    nodes { handle title }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) { userErrors { code } }
}
"""
PRICES_SET = """
mutation Prices($variantId: ID!, $prices: [PriceInputType!]!) {
  productVariantPricesSet(variantId: $variantId, prices: $prices) { userErrors { code } }
}
"""


async def _handles(client: httpx.AsyncClient, **variables: Any) -> list[str]:
    body = await gql(client, LIST, variables)
    assert "errors" not in body, body
    return [n["handle"] for n in body["data"]["products"]["nodes"]]


@pytest.fixture
async def admin(db: Database, settings: Settings) -> str:
    return await staff_token(db, settings, role=StaffRole.ADMIN)


@pytest.fixture
async def web(db: Database) -> int:
    return (await create_channel(db, code="web")).id


async def test_a_title_change_moves_the_product_in_the_title_order(
    client: httpx.AsyncClient, db: Database, admin: str, web: int
) -> None:
    # given
    apple = await create_product(db, handle="apple", titles={"en": "Apple"}, channel_ids=[web])
    await create_product(db, handle="banana", titles={"en": "Banana"}, channel_ids=[web])
    assert await _handles(client, sortKey="TITLE") == ["apple", "banana"]
    # when
    body = await gql(client, UPDATE, {"id": to_global_id("Product", apple.id),
                                      "input": {"translations": [{"locale": "en",
                                                                  "title": "Cherry"}]}},
                     token=admin)  # fmt: skip
    # then
    assert body["data"]["productUpdate"]["userErrors"] == []
    assert await _handles(client, sortKey="TITLE") == ["banana", "apple"]


async def test_a_locale_without_a_translation_sorts_by_the_channel_default_title(
    client: httpx.AsyncClient, db: Database, web: int
) -> None:
    # given one product titled in both locales and one only in English (the channel default)
    await create_product(db, handle="both", titles={"en": "Zebra", "fr": "Abeille"},
                         channel_ids=[web])  # fmt: skip
    await create_product(db, handle="english", titles={"en": "Moose"}, channel_ids=[web])
    # when / then: in French, "Abeille" < "Moose" (the English fallback)
    assert await _handles(client, sortKey="TITLE", locale="fr") == ["both", "english"]
    assert await _handles(client, sortKey="TITLE", locale="en") == ["english", "both"]


async def test_a_price_change_moves_the_product_in_the_price_order(
    client: httpx.AsyncClient, db: Database, admin: str, web: int
) -> None:
    # given
    cheap = await create_product(db, handle="cheap", channel_ids=[web], variants=1,
                                 prices={"CAD": 1000})  # fmt: skip
    await create_product(db, handle="dear", channel_ids=[web], variants=1, prices={"CAD": 5000})
    assert await _handles(client, sortKey="PRICE") == ["cheap", "dear"]
    variant_id = await _first_variant_id(client, "cheap")
    # when
    body = await gql(client, PRICES_SET, {"variantId": variant_id,
                                          "prices": [{"currencyCode": "CAD", "amount": "99"}]},
                     token=admin)  # fmt: skip
    # then
    assert body["data"]["productVariantPricesSet"]["userErrors"] == []
    assert await _handles(client, sortKey="PRICE") == ["dear", "cheap"]
    assert await _handles(client, sortKey="PRICE", reverse=True) == ["cheap", "dear"]
    assert cheap.id


async def _first_variant_id(client: httpx.AsyncClient, handle: str) -> str:
    body = await gql(
        client, "query($h: String) { product(handle: $h) { variants { id } } }", {"h": handle}
    )
    variant_id: str = body["data"]["product"]["variants"][0]["id"]
    return variant_id


async def test_unpublishing_or_drafting_takes_the_product_off_the_list(
    client: httpx.AsyncClient, db: Database, admin: str, web: int
) -> None:
    # given
    await create_channel(db, code="app")
    first = await create_product(db, handle="first", channel_ids=[web])
    second = await create_product(db, handle="second", channel_ids=[web])
    await create_product(db, handle="third", channel_ids=[web])
    # when
    await gql(client, UPDATE, {"id": to_global_id("Product", first.id),
                               "input": {"channelCodes": ["app"]}}, token=admin)  # fmt: skip
    await gql(client, UPDATE, {"id": to_global_id("Product", second.id),
                               "input": {"status": "DRAFT"}}, token=admin)  # fmt: skip
    # then
    body = await gql(client, LIST, {"sortKey": "HANDLE"})
    assert body["data"]["products"]["totalCount"] == 1
    assert [n["handle"] for n in body["data"]["products"]["nodes"]] == ["third"]
