"""Bounded input: long strings are coded errors before execution; large bodies are 413."""

from __future__ import annotations

import httpx
import pytest

from app.database import Database
from tests.factories.channels import create_channel
from tests.graphql import error_codes, gql

SEARCH = "query($q: String) { products(search: $q) { totalCount } }"


async def test_a_huge_search_is_a_coded_error_not_an_internal_one(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given (SQLite refuses LIKE patterns this long outright)
    await create_channel(db, code="web")
    # when
    by_variable = await gql(client, SEARCH, {"q": "x" * 50_000})
    literal = await gql(client, '{ products(search: "%s") { totalCount } }' % ("y" * 201))
    # then
    assert error_codes(by_variable) == ["INPUT_TOO_LONG"]
    assert by_variable["errors"][0]["extensions"]["maxLength"] == 200
    assert error_codes(literal) == ["INPUT_TOO_LONG"]


async def test_a_search_at_the_limit_runs(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db, code="web")
    body = await gql(client, SEARCH, {"q": "x" * 200})
    assert body["data"] == {"products": {"totalCount": 0}}


async def test_any_string_variable_is_bounded_even_inside_input_objects(
    client: httpx.AsyncClient,
) -> None:
    query = 'mutation($e: String!) { staffLogin(email: $e, password: "x") { token } }'
    body = await gql(client, query, {"e": "a" * 10_001})
    nested = await gql(client, "query($f: ProductFilter) { products(filter: $f) { totalCount } }",
                       {"f": {"categoryHandles": ["c" * 10_001]}})  # fmt: skip
    assert error_codes(body) == ["INPUT_TOO_LONG"]
    assert error_codes(nested) == ["INPUT_TOO_LONG"]


@pytest.mark.parametrize("declared", [True, False])
async def test_a_body_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient, declared: bool
) -> None:
    payload = b'{"query": "{ channels { code } }", "pad": "' + b"x" * 1_000_001 + b'"}'

    async def chunks() -> object:
        yield payload

    response = await client.post(
        "/graphql",
        content=payload if declared else chunks(),  # type: ignore[arg-type]
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
