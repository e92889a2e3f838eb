from __future__ import annotations

import httpx

from app.database import Database
from app.models.catalog import ProductStatus
from schema.relay import to_global_id
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel
from tests.graphql import error_codes, gql

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Product { handle variants { id sku } }
    ... on ProductVariant { sku product { handle } }
    ... on Channel { code }
  }
}
"""


async def test_node_resolves_every_kind_of_id(client: httpx.AsyncClient, db: Database) -> None:
    web = await create_channel(db)
    product = await create_product(db, handle="tee", channel_ids=[web.id], variants=1)
    found = (await gql(client, NODE, {"id": to_global_id("Product", product.id)}))["data"]["node"]
    assert found["handle"] == "tee"
    variant_id = found["variants"][0]["id"]
    variant = (await gql(client, NODE, {"id": variant_id}))["data"]["node"]
    assert variant == {"id": variant_id, "sku": "TEE-0", "product": {"handle": "tee"}}
    channel = (await gql(client, NODE, {"id": to_global_id("Channel", web.id)}))["data"]["node"]
    assert channel["code"] == "web"


async def test_nodes_keeps_order_and_returns_null_for_missing(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db)
    a = await create_product(db, handle="a", variants=0)
    b = await create_product(db, handle="b", variants=0)
    ids = [to_global_id("Product", b.id), to_global_id("Product", 9999),
           to_global_id("Product", a.id)]  # fmt: skip
    body = await gql(client, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert body["data"]["nodes"] == [{"id": ids[0]}, None, {"id": ids[2]}]


async def test_invalid_ids_get_a_coded_error(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db)
    for bad in ("not-base64!", to_global_id("Nothing", 1), "UHJvZHVjdDp4"):
        body = await gql(client, NODE, {"id": bad})
        assert error_codes(body) == ["INVALID_ID"], (bad, body)


async def test_a_draft_product_is_not_a_node_for_shoppers(
    client: httpx.AsyncClient, db: Database
) -> None:
    await create_channel(db)
    draft = await create_product(db, handle="secret", status=ProductStatus.DRAFT)
    body = await gql(client, NODE, {"id": to_global_id("Product", draft.id)})
    assert body["data"]["node"] is None
