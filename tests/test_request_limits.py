from __future__ import annotations

import httpx
import pytest

from app.database import Database
from tests.factories.channels import create_channel

DEEP = '{ variant(sku: "x") { ' + "product { variants { " * 10 + "sku" + " } }" * 10 + " } }"
MANY_ALIASES = "{ " + " ".join(f"a{i}: channels {{ code }}" for i in range(60)) + " }"
MANY_TOKENS = "{ channels { " + " ".join(["code"] * 12_000) + " } }"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"query": DEEP}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": MANY_ALIASES}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": MANY_TOKENS}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "query($f: Int) { products(first: $f) { totalCount } }",
          "variables": {"f": "x"}}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "query($f: Int!) { products(first: $f) { totalCount } }"},
         "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "{ products(first: 99999999999) { totalCount } }"},
         "GRAPHQL_VALIDATION_FAILED"),
    ],
)  # fmt: skip
async def test_oversized_or_malformed_documents_get_a_coded_error_and_no_500(
    client: httpx.AsyncClient, db: Database, payload: dict[str, object], code: str
) -> None:
    await create_channel(db)
    response = await client.post("/graphql", json=payload)
    assert response.status_code < 500
    body = response.json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]][:1] == [code]


async def test_a_document_within_the_limits_runs(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db)
    aliases = "{ " + " ".join(f"a{i}: channels {{ code }}" for i in range(40)) + " }"
    response = await client.post("/graphql", json={"query": aliases})
    assert response.json()["data"]["a39"] == [{"code": "web"}]
