from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.database import Database
from app.models.catalog import Price, Product, Variant
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.auth import staff_token
from tests.factories.catalog import create_category, create_product
from tests.factories.channels import create_channel, create_location
from tests.graphql import error_codes, gql

PRODUCT_CREATE = """
mutation Create($input: ProductInput!) {
  productCreate(input: $input) {
    product { id handle status title publishedOn { code } categories { handle } }
    userErrors { field code message }
  }
}
"""
VARIANT_CREATE = """
mutation Variant($productId: ID!, $input: ProductVariantInput!) {
  productVariantCreate(productId: $productId, input: $input) {
    variant { sku selectedOptions { name value } price(channel: "web") { amount currencyCode } }
    userErrors { field code }
  }
}
"""
PRICES_SET = """
mutation Prices($variantId: ID!, $prices: [PriceInputType!]!) {
  productVariantPricesSet(variantId: $variantId, prices: $prices) {
    variant { pricesByCurrency { amount currencyCode } }
    userErrors { field code }
  }
}
"""


async def _count(db: Database, model: type[object]) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


@pytest.fixture
async def admin(db: Database, settings: Settings) -> str:
    await create_channel(db, code="web")
    await create_category(db, handle="jackets", name="Jackets")
    return await staff_token(db, settings, role=StaffRole.ADMIN)


async def test_staff_create_a_product_with_a_variant_and_prices(
    client: httpx.AsyncClient, admin: str
) -> None:
    # given
    product_input = {
        "handle": "storm-shell",
        "status": "ACTIVE",
        "translations": [{"locale": "en", "title": "Storm shell"},
                         {"locale": "fr", "title": "Coquille tempête"}],
        "channelCodes": ["web"],
        "categoryHandles": ["jackets"],
    }  # fmt: skip
    # when
    created = await gql(client, PRODUCT_CREATE, {"input": product_input}, token=admin)
    payload = created["data"]["productCreate"]
    variant = await gql(
        client, VARIANT_CREATE,
        {"productId": payload["product"]["id"], "input": {
            "sku": "STORM-M", "options": [{"name": "Size", "value": "M"}],
            "prices": [{"currencyCode": "CAD", "amount": "249.99"},
                       {"currencyCode": "USD", "amount": "189"}]}},
        token=admin,
    )  # fmt: skip
    # then
    assert payload["userErrors"] == []
    assert payload["product"]["title"] == "Storm shell"
    assert payload["product"]["publishedOn"] == [{"code": "web"}]
    assert payload["product"]["categories"] == [{"handle": "jackets"}]
    assert variant["data"]["productVariantCreate"] == {
        "variant": {"sku": "STORM-M", "selectedOptions": [{"name": "Size", "value": "M"}],
                    "price": {"amount": "249.99", "currencyCode": "CAD"}},
        "userErrors": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("product_input", "code", "field"),
    [
        ({"handle": "Bad Handle", "translations": [{"locale": "en", "title": "x"}]},
         "INVALID_HANDLE", ["handle"]),
        ({"handle": "ok", "translations": [{"locale": "xx", "title": "x"}]},
         "UNKNOWN_LOCALE", ["translations", "0", "locale"]),
        ({"handle": "ok", "translations": []}, "REQUIRED", ["translations"]),
        ({"handle": "ok", "translations": [{"locale": "en", "title": "x"}],
          "channelCodes": ["nowhere"]}, "UNKNOWN_CHANNEL", ["channelCodes"]),
        ({"handle": "ok", "translations": [{"locale": "en", "title": "x"}],
          "categoryHandles": ["nothing"]}, "UNKNOWN_CATEGORY", ["categoryHandles"]),
    ],
)  # fmt: skip
async def test_bad_product_input_gets_user_errors_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, admin: str, product_input: dict[str, object],
    code: str, field: list[str],
) -> None:  # fmt: skip
    body = await gql(client, PRODUCT_CREATE, {"input": product_input}, token=admin)
    payload = body["data"]["productCreate"]
    assert payload["product"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await _count(db, Product) == 0


async def test_duplicate_sku_and_bad_price_are_refused_without_partial_writes(
    client: httpx.AsyncClient, db: Database, admin: str
) -> None:
    product = await create_product(db, handle="tee", variants=1)
    product_id = to_global_id("Product", product.id)
    duplicate_input = {"productId": product_id, "input": {"sku": "TEE-0"}}
    duplicate = await gql(client, VARIANT_CREATE, duplicate_input, token=admin)
    too_precise = await gql(
        client, VARIANT_CREATE,
        {"productId": product_id, "input": {
            "sku": "TEE-NEW", "prices": [{"currencyCode": "CAD", "amount": "1.999"}]}},
        token=admin,
    )  # fmt: skip
    assert error_codes(duplicate) == []
    assert duplicate["data"]["productVariantCreate"]["userErrors"][0]["code"] == "DUPLICATE_SKU"
    errors = too_precise["data"]["productVariantCreate"]["userErrors"]
    assert errors == [{"field": ["prices", "0", "amount"], "code": "INVALID_AMOUNT"}]
    assert await _count(db, Variant) == 1


async def test_prices_set_updates_one_currency_and_keeps_the_others(
    client: httpx.AsyncClient, db: Database, admin: str
) -> None:
    product = await create_product(db, handle="tee", variants=1, prices={"CAD": 1000, "USD": 800})
    async with db.read() as conn:
        variant_id = (await conn.execute(select(Variant.id))).scalar_one()
    body = await gql(client, PRICES_SET, {
        "variantId": to_global_id("ProductVariant", variant_id),
        "prices": [{"currencyCode": "cad", "amount": "12.50"}]}, token=admin)  # fmt: skip
    prices = body["data"]["productVariantPricesSet"]["variant"]["pricesByCurrency"]
    assert sorted((p["currencyCode"], p["amount"]) for p in prices) == [
        ("CAD", "12.50"), ("USD", "8.00")]  # fmt: skip
    negative = await gql(client, PRICES_SET, {
        "variantId": to_global_id("ProductVariant", variant_id),
        "prices": [{"currencyCode": "CAD", "amount": "-1"}]}, token=admin)  # fmt: skip
    assert negative["data"]["productVariantPricesSet"]["userErrors"][0]["code"] == "INVALID_AMOUNT"
    assert await _count(db, Price) == 2
    assert product.id


async def test_product_update_changes_fields_and_translations(
    client: httpx.AsyncClient, db: Database, admin: str
) -> None:
    product = await create_product(db, handle="tee", titles={"en": "Tee"})
    body = await gql(
        client,
        """mutation($id: ID!, $input: ProductInput!) { productUpdate(id: $id, input: $input) {
             product { handle vendor title attributes { name value } } userErrors { code } } }""",
        {"id": to_global_id("Product", product.id), "input": {
            "handle": "classic-tee", "vendor": "Nordlys",
            "attributes": [{"name": "Material", "value": "Cotton"}],
            "translations": [{"locale": "en", "title": "Classic tee"}]}},
        token=admin,
    )  # fmt: skip
    assert body["data"]["productUpdate"] == {
        "product": {"handle": "classic-tee", "vendor": "Nordlys", "title": "Classic tee",
                    "attributes": [{"name": "Material", "value": "Cotton"}]},
        "userErrors": [],
    }  # fmt: skip


async def test_catalog_mutations_need_a_catalog_manager(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    store = await create_location(db)
    associate = await staff_token(db, settings, role=StaffRole.STORE_ASSOCIATE,
                                  home_location_id=store.id)  # fmt: skip
    product_input = {"handle": "x", "translations": [{"locale": "en", "title": "x"}]}
    anonymous = await gql(client, PRODUCT_CREATE, {"input": product_input})
    forbidden = await gql(client, PRODUCT_CREATE, {"input": product_input}, token=associate)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(forbidden) == ["FORBIDDEN"]
    assert await _count(db, Product) == 0
