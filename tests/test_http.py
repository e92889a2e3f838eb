from __future__ import annotations

import httpx
import pytest

from app.catalog import repository
from app.database import Database
from tests.factories.channels import create_channel

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_graphiql_is_served_to_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_queries_work_over_get(client: httpx.AsyncClient, db: Database) -> None:
    await create_channel(db, code="web")
    response = await client.get("/graphql", params={"query": "{ channels { code } }"})
    assert response.status_code == 200
    assert response.json()["data"] == {"channels": [{"code": "web"}]}


async def test_mutations_are_refused_over_get(client: httpx.AsyncClient) -> None:
    query = 'mutation { staffLogin(email: "a@b.c", password: "x") { token } }'
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code in (400, 405)


async def test_parse_error_is_400_with_graphql_response_media_type(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ products(first: 2 }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_validation_error_is_200_for_plain_json_clients(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ productz }"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"variables": {}}', "application/json"),
        (b"[1, 2", "application/json"),
        (b"query=1", "text/plain"),
    ],
)
async def test_malformed_requests_get_a_client_error_never_500(
    client: httpx.AsyncClient, body: bytes, content_type: str
) -> None:
    response = await client.post("/graphql", content=body, headers={"content-type": content_type})
    assert 400 <= response.status_code < 500


async def test_unexpected_errors_are_masked_with_the_request_id(
    client: httpx.AsyncClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a repository failure nobody planned for
    await create_channel(db)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("password=hunter2 at db host 10.0.0.1")

    monkeypatch.setattr(repository, "product_page", broken)
    # when
    response = await client.post(
        "/graphql",
        json={"query": "{ products { totalCount } }"},
        headers={"x-request-id": "abc123"},
    )
    # then the caller gets a code and the request id, not the message or trace
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "abc123"}
    assert "hunter2" not in response.text
    assert response.headers["x-request-id"] == "abc123"


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["migrations"] == "current"
