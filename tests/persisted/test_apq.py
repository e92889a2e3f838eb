"""Automatic persisted queries over HTTP, with the in-process store and with Redis."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as redis

from app.config import Settings
from app.database import Database
from app.server import create_app
from tests.factories.channels import create_channel

CHANNELS = "query Channels { channels { code } }"
LOGIN = 'mutation Login { staffLogin(email: "a@b.c", password: "wrong-pass") { token } }'
REDIS_URL = "redis://127.0.0.1:6379/0"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(digest: str, query: str | None = None) -> dict[str, object]:
    body: dict[str, object] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    }
    if query is not None:
        body["query"] = query
    return body


async def test_an_unknown_hash_answers_persisted_query_not_found_as_json(
    client: httpx.AsyncClient,
) -> None:
    # when
    response = await client.post("/graphql", json=apq(sha(CHANNELS)))
    # then Apollo's link recognises the message and the code, and resends with the text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "data" not in response.json()


async def test_a_registered_document_runs_from_its_hash_alone(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_channel(db, code="web")
    registered = await client.post("/graphql", json=apq(sha(CHANNELS), CHANNELS))
    # when
    by_hash = await client.post("/graphql", json=apq(sha(CHANNELS)))
    # then
    assert registered.json()["data"] == {"channels": [{"code": "web"}]}
    assert by_hash.json()["data"] == {"channels": [{"code": "web"}]}


async def test_a_hash_that_is_not_the_documents_is_refused_with_400(
    client: httpx.AsyncClient,
) -> None:
    # when
    response = await client.post("/graphql", json=apq(sha("{ other }"), CHANNELS))
    then_by_hash = await client.post("/graphql", json=apq(sha("{ other }")))
    # then nothing was stored under the wrong name
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert then_by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_document_that_does_not_parse_is_not_kept_for_its_hash(
    client: httpx.AsyncClient,
) -> None:
    # when a client registers text that is no GraphQL document
    broken = "{ channels { code " + "x" * 1000
    registered = await client.post("/graphql", json=apq(sha(broken), broken))
    by_hash = await client.post("/graphql", json=apq(sha(broken)))
    # then it fails as any bad document does, and the hash names nothing
    assert registered.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_document_over_the_size_cap_is_refused_and_not_kept(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # given a valid document padded past APQ_DOCUMENT_MAX_BYTES
    padded = CHANNELS + " " * settings.apq_document_max_bytes
    # when
    registered = await client.post("/graphql", json=apq(sha(padded), padded))
    by_hash = await client.post("/graphql", json=apq(sha(padded)))
    # then
    assert registered.status_code == 400
    assert registered.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_TOO_LARGE"
    assert by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("extensions", "code"),
    [
        (
            {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
            "PERSISTED_QUERY_NOT_SUPPORTED",
        ),
        ({"persistedQuery": {"version": 1, "sha256Hash": "xyz"}}, "INVALID_DOCUMENT_ID"),
        ({"persistedQuery": "yes"}, "PERSISTED_QUERY_NOT_SUPPORTED"),
    ],
)
async def test_malformed_persisted_query_extensions_are_coded_client_errors(
    client: httpx.AsyncClient, extensions: dict[str, object], code: str
) -> None:
    response = await client.post("/graphql", json={"extensions": extensions})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_hashed_queries_work_over_get_but_mutations_never_do(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given both documents registered over POST
    await create_channel(db, code="web")
    await client.post("/graphql", json=apq(sha(CHANNELS), CHANNELS))
    await client.post("/graphql", json=apq(sha(LOGIN), LOGIN))

    def params(digest: str) -> dict[str, str]:
        return {"extensions": json.dumps(apq(digest)["extensions"])}

    # when
    query = await client.get("/graphql", params=params(sha(CHANNELS)))
    mutation = await client.get("/graphql", params=params(sha(LOGIN)))
    # then
    assert query.status_code == 200
    assert query.json()["data"] == {"channels": [{"code": "web"}]}
    assert mutation.status_code in (400, 405)


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    prefix = f"omnigraph-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    keys = [key async for key in connection.scan_iter(f"{prefix}:*")]
    if keys:
        await connection.delete(*keys)
    await connection.aclose()


async def test_workers_share_registered_documents_through_redis(
    db: Database, database_url: str, redis_prefix: str
) -> None:
    # given two processes' applications on one Redis
    await create_channel(db, code="web")
    settings = Settings(database_url=database_url, redis_url=REDIS_URL, events_prefix=redis_prefix)
    first, second = create_app(settings, db), create_app(settings, db)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://b") as b,
    ):
        # when one registers the document
        await a.post("/graphql", json=apq(sha(CHANNELS), CHANNELS))
        by_hash = await b.post("/graphql", json=apq(sha(CHANNELS)))
    for application in (first, second):
        await application.state.broker.close()
    # then the other runs it from the hash
    assert by_hash.json()["data"] == {"channels": [{"code": "web"}]}
