"""Partners bound to trusted documents: import a manifest, call by id, free-form refused."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from app import cli
from app.auth.partners import viewer_for_api_key
from app.config import Settings
from app.database import Database
from app.server import create_app
from tests.factories.channels import create_channel
from tests.factories.customers import partner_key
from tests.inventory.ws import GraphQLWebSocket

FEED = 'query InventoryFeed { inventoryLevels(channel: "web", first: 5) { totalCount } }'
CHANNELS = "query Channels { channels { code } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def manifest(*bodies: str) -> dict[str, object]:
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha(b), "body": b, "name": b.split()[1], "type": "query"} for b in bodies
        ],
    }


Importer = Callable[..., Awaitable[int]]


@pytest.fixture
def import_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> Importer:
    monkeypatch.setattr(cli, "get_settings", lambda: settings)

    async def run(content: object, client: str = "acme-sync", *extra: str) -> int:
        path = tmp_path / "manifest.json"
        path.write_text(json.dumps(content))
        # The command runs its own event loop, as it does from a shell.
        args = ["persisted", "import", str(path), "--client", client, *extra]
        return await asyncio.to_thread(cli.main, args)

    return run


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors") or []]


async def test_a_bound_partner_runs_its_documents_by_id_and_nothing_else(
    client: httpx.AsyncClient, db: Database, import_manifest: Importer
) -> None:
    # given a manifest imported for the partner's client, and a key bound to it
    await create_channel(db, code="web")
    assert await import_manifest(manifest(FEED)) == 0
    key = await partner_key(db, scopes=["inventory:read"], documents_client="acme-sync")
    headers = {"X-Api-Key": key}
    # when
    by_id = await client.post("/graphql", json={"documentId": f"sha256:{sha(FEED)}"},
                              headers=headers)  # fmt: skip
    by_apq = await client.post("/graphql", headers=headers, json={
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha(FEED)}}})  # fmt: skip
    by_get = await client.get("/graphql", params={"documentId": f"sha256:{sha(FEED)}"},
                              headers=headers)  # fmt: skip
    same_text = await client.post("/graphql", json={"query": FEED}, headers=headers)
    free_form = await client.post("/graphql", json={"query": CHANNELS}, headers=headers)
    unknown = await client.post("/graphql", json={"documentId": f"sha256:{sha(CHANNELS)}"},
                                headers=headers)  # fmt: skip
    # then
    for response in (by_id, by_apq, by_get, same_text):
        assert response.json()["data"] == {"inventoryLevels": {"totalCount": 0}}
    assert codes(free_form) == ["TRUSTED_DOCUMENT_REQUIRED"]
    assert "data" not in free_form.json()
    assert codes(unknown) == ["PERSISTED_DOCUMENT_NOT_FOUND"]


async def test_log_only_mode_runs_other_documents_and_logs_them(
    client: httpx.AsyncClient, db: Database, import_manifest: Importer,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    # given
    await create_channel(db, code="web")
    assert await import_manifest(manifest(FEED)) == 0
    key = await partner_key(db, documents_client="acme-sync", documents_mode="LOG")
    # when
    free_form = await client.post("/graphql", json={"query": CHANNELS}, headers={"X-Api-Key": key})
    # then
    assert free_form.json()["data"] == {"channels": [{"code": "web"}]}
    assert "log-only mode" in caplog.text
    assert key not in caplog.text


async def test_documents_are_named_per_client(
    client: httpx.AsyncClient, db: Database, import_manifest: Importer
) -> None:
    # given a document of another client only
    await create_channel(db, code="web")
    assert await import_manifest(manifest(CHANNELS), "storefront") == 0
    bound = await partner_key(db, documents_client="acme-sync")
    unbound = await partner_key(db)
    body = {"documentId": f"sha256:{sha(CHANNELS)}"}
    # when
    refused = await client.post("/graphql", json=body, headers={"X-Api-Key": bound})
    anyone = await client.post("/graphql", json=body)
    partner = await client.post("/graphql", json=body, headers={"X-Api-Key": unbound})
    # then
    assert codes(refused) == ["PERSISTED_DOCUMENT_NOT_FOUND"]
    assert anyone.json()["data"] == partner.json()["data"] == {"channels": [{"code": "web"}]}


async def test_import_refuses_an_id_that_is_not_the_bodys_hash(
    db: Database, import_manifest: Importer, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    forged = manifest(FEED)
    forged["operations"][0]["body"] = CHANNELS  # type: ignore[index]
    # when
    status = await import_manifest(forged)
    # then
    assert status == 2
    assert "not the SHA-256 of its body" in capsys.readouterr().err


async def test_reimport_adds_new_documents_and_replace_removes_stale_ones(
    db: Database, import_manifest: Importer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await import_manifest(manifest(FEED)) == 0
    assert await import_manifest(manifest(FEED, CHANNELS)) == 0
    assert "1 documents added, 1 already present, 0 removed" in capsys.readouterr().out
    assert await import_manifest(manifest(CHANNELS), "acme-sync", "--replace") == 0
    assert "0 documents added, 1 already present, 1 removed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "bad",
    [{"format": "other"}, {"format": "apollo-persisted-query-manifest", "version": 1,
                          "operations": [{"id": sha("{"), "body": "{", "type": "query"}]}],
)  # fmt: skip
async def test_import_refuses_malformed_manifests(
    db: Database, import_manifest: Importer, bad: dict[str, object]
) -> None:
    assert await import_manifest(bad) == 2


async def test_a_bound_partner_cannot_subscribe_with_a_free_form_document(
    db: Database, settings: Settings, import_manifest: Importer
) -> None:
    # given a key bound to a client whose manifest has no subscription
    assert await import_manifest(manifest(FEED)) == 0
    key = await partner_key(db, scopes=["inventory:read"], documents_client="acme-sync")
    application = create_app(settings, db)
    # when
    try:
        async with GraphQLWebSocket(application, init_payload={"x-api-key": key}) as ws:
            await ws.subscribe("subscription { inventoryChanged { sku } }", {})
            answer = await ws.receive()
    finally:
        await application.state.broker.close()
    # then
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"


async def test_binding_an_existing_key_from_the_command_line(
    client: httpx.AsyncClient, db: Database, import_manifest: Importer
) -> None:
    # given an unbound key and an imported manifest
    await create_channel(db, code="web")
    assert await import_manifest(manifest(FEED)) == 0
    key = await partner_key(db, scopes=["inventory:read"])
    viewer = await viewer_for_api_key(db, key)
    assert viewer is not None
    # when
    bind = ["partners", "bind", str(viewer.partner_id), "--client", "acme-sync"]
    assert await asyncio.to_thread(cli.main, bind) == 0
    # then
    free_form = await client.post("/graphql", json={"query": CHANNELS}, headers={"X-Api-Key": key})
    assert codes(free_form) == ["TRUSTED_DOCUMENT_REQUIRED"]
