"""Every GraphQL example in README.md and docs/, and every example operation the explorer
offers, runs against the demo data without errors, so the examples cannot rot.

A fenced ```graphql block in Markdown may be preceded by comment lines that say how to run it:
`<!-- as: ops -->` (a demo viewer: anonymous, camille, downtown, ops, admin, partner) and
`<!-- variables: {"id": "..."} -->`. A block with several operations runs them in order.
Subscriptions are validated against the schema (they are exercised over WebSocket elsewhere).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, OperationType, parse, validate

from app.config import Settings
from app.database import Database
from app.demo.loader import load_demo
from app.demo.partners import DEMO_PARTNER_KEY
from app.demo.staff import DEMO_PASSWORD
from app.explorer.examples import AUDIENCES, all_examples
from app.server import create_app
from schema.schema import schema
from tests.conftest import truncate_all

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
BLOCK = re.compile(
    r"(?P<options>(?:^<!--\s*[a-z]+:.*?-->\s*\n)*)^```graphql\n(?P<body>.*?)^```", re.M | re.S
)
OPTION = re.compile(r"<!--\s*(?P<key>[a-z]+):\s*(?P<value>.*?)\s*-->")

SIGN_INS = {
    "camille": ("customerLogin", "camille.roy@demo.omnigraph.dev"),
    "downtown": ("staffLogin", "downtown@demo.omnigraph.dev"),
    "ops": ("staffLogin", "ops@demo.omnigraph.dev"),
    "admin": ("staffLogin", "admin@demo.omnigraph.dev"),
}


@dataclass
class Block:
    where: str
    body: str
    viewer: str = "anonymous"
    variables: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def markdown_blocks() -> Iterator[Block]:
    for path in DOCUMENTS:
        text = path.read_text()
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("body"))
            block = Block(f"{path.relative_to(ROOT)}:{line}", match.group("body"))
            for option in OPTION.finditer(match.group("options")):
                if option["key"] == "as":
                    block.viewer = option["value"]
                elif option["key"] == "variables":
                    block.variables = json.loads(option["value"])
            yield block


def explorer_blocks() -> Iterator[Block]:
    examples = all_examples()
    for audience in AUDIENCES:
        viewer = "anonymous"
        if audience.sign_in is not None:
            viewer = next(
                k for k, (_, email) in SIGN_INS.items() if email == audience.sign_in.email
            )
        elif audience.api_key is not None:
            viewer = "partner"
        for example in examples[audience.key]:
            yield Block(
                f"explorer {audience.key}/{example.name}",
                example.query,
                viewer,
                example.variables,
                {"X-Channel": audience.channel},
            )


BLOCKS = [*markdown_blocks(), *explorer_blocks()]


def _user_errors(value: Any) -> list[Any]:
    if isinstance(value, dict):
        found = list(value.get("userErrors") or [])
        for child in value.values():
            found.extend(_user_errors(child))
        return found
    if isinstance(value, list):
        return [error for item in value for error in _user_errors(item)]
    return []


@pytest.fixture(scope="module")
async def demo(migrated_db: Database) -> AsyncIterator[Database]:
    await truncate_all(migrated_db)
    assert await load_demo(migrated_db)
    yield migrated_db
    await truncate_all(migrated_db)


@pytest.fixture
async def demo_client(demo: Database, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(Settings(database_url=database_url, redis_url=None), demo)
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def _headers_for(client: httpx.AsyncClient, viewer: str) -> dict[str, str]:
    if viewer == "anonymous":
        return {}
    if viewer == "partner":
        return {"X-Api-Key": DEMO_PARTNER_KEY}
    mutation, email = SIGN_INS[viewer]
    body = (
        await client.post(
            "/graphql",
            json={
                "query": f"mutation($e: String!, $p: String!) {{ {mutation}(email: $e, "
                "password: $p) { token } }",
                "variables": {"e": email, "p": DEMO_PASSWORD},
            },
        )
    ).json()
    token = body["data"][mutation]["token"]
    assert token, body
    return {"Authorization": f"Bearer {token}"}


def test_the_docs_have_examples_to_run() -> None:
    assert len([b for b in BLOCKS if not b.where.startswith("explorer")]) >= 5
    assert {b.where.split()[1].split("/")[0] for b in BLOCKS if b.where.startswith("explorer")} == {
        a.key for a in AUDIENCES
    }


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
async def test_example_runs_against_the_demo_data(
    demo_client: httpx.AsyncClient, block: Block
) -> None:
    # given
    headers = {**block.headers, **await _headers_for(demo_client, block.viewer)}
    document = parse(block.body)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if any(o.operation is OperationType.SUBSCRIPTION for o in operations):
        assert validate(schema._schema, document) == []
    names = [
        o.name.value if o.name else None
        for o in operations
        if o.operation is not OperationType.SUBSCRIPTION
    ]
    for name in names:
        # when
        response = await demo_client.post(
            "/graphql",
            json={"query": block.body, "variables": block.variables, "operationName": name},
            headers=headers,
        )
        # then
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body
        assert body["data"], body
        assert _user_errors(body["data"]) == [], body
