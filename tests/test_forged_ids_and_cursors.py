from __future__ import annotations

import base64

import httpx
import pytest

from app.config import Settings
from app.database import Database
from tests.factories.auth import staff_token
from tests.graphql import error_codes, gql
from tests.inventory.helpers import shop


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw", ["Customer:99999999999999999999", "Product:0", "Product:-1", "Product:1e3"]
)
async def test_ids_outside_the_key_range_are_invalid_ids(
    client: httpx.AsyncClient, db: Database, settings: Settings, raw: str
) -> None:
    token = await staff_token(db, settings)
    node = await gql(client, "query($id: ID!) { node(id: $id) { id } }", {"id": _b64(raw)})
    customer = await gql(client, "query($id: ID!) { customer(id: $id) { id } }",
                         {"id": _b64(raw)}, token=token)  # fmt: skip
    assert error_codes(node) == ["INVALID_ID"]
    assert error_codes(customer) == ["INVALID_ID"]


@pytest.mark.parametrize(
    ("query", "cursor"),
    [
        ('query($a: String) { products(first: 1, after: $a) { nodes { id } } }', '[{"t": "x"}, 1]'),
        ('query($a: String) { products(first: 1, after: $a) { nodes { id } } }', '["a", "b"]'),
        ('query($a: String) { products(first: 1, after: $a) { nodes { id } } }', '["a", 2e99]'),
        ('query($a: String) { inventoryLevels(channel: "web", after: $a) { nodes { sku } } }',
         '[{"t": "not-a-date"}]'),
        ('query($a: String) { inventoryMovements(sku: "TEE-0", after: $a) { nodes { id } } }',
         '[{"t": 5}, 1]'),
        ('query($a: String) { inventoryMovements(sku: "TEE-0", after: $a) { nodes { id } } }',
         '[{"t": "2026-01-01T00:00:00+00:00"}, [1]]'),
    ],
)  # fmt: skip
async def test_forged_cursors_are_invalid_cursors(
    client: httpx.AsyncClient, db: Database, settings: Settings, query: str, cursor: str
) -> None:
    await shop(db, skus=1)
    token = await staff_token(db, settings)
    body = await gql(client, query, {"a": _b64(cursor)}, token=token)
    assert error_codes(body) == ["INVALID_CURSOR"], body
