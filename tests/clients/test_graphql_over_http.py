"""The graphql-http audit suite (GraphQL over HTTP) against the live server."""

from __future__ import annotations

from pathlib import Path

from tests.clients.conftest import run_node


def test_every_graphql_over_http_audit_passes(node_packages: Path, server: str) -> None:
    # when
    results = run_node(node_packages, "graphql_http_audit.mjs", server)
    # then every MUST and every SHOULD holds (MAY audits are optional behaviour)
    failing = [
        f"{r['name']}: {r['reason']}"
        for r in results
        if r["status"] != "ok" and not r["name"].startswith("MAY")
    ]
    assert len(results) > 50
    assert failing == []
