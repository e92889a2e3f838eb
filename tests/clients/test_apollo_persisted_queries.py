"""Apollo Client's persisted-queries link, unmodified, against the live server."""

from __future__ import annotations

from pathlib import Path

from app.database import Database
from tests.clients.conftest import run_node
from tests.factories.channels import create_channel


async def test_apollo_client_registers_then_sends_only_the_hash(
    db: Database, node_packages: Path, server: str
) -> None:
    # given
    await create_channel(db, code="web")
    # when
    result = run_node(node_packages, "apollo_apq.mjs", server)
    # then the first client registers the document after the server asked for it
    assert result["first"] == {"channels": [{"__typename": "Channel", "code": "web"}]}
    assert [s["hasQuery"] for s in result["firstSent"]] == [False, True]
    # a second client's hash alone is enough
    assert result["second"] == result["first"]
    assert result["secondSent"] == [{"method": "POST", "hasQuery": False}]
    # hashed queries also work over GET
    assert result["get"] == result["first"]
    assert result["getSent"] == [{"method": "GET", "hasQuery": False}]
    # mutations are POSTed, never sent over GET
    assert result["mutation"]["staffLogin"]["token"] is None
    assert {s["method"] for s in result["mutationSent"]} == {"POST"}
