from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app import cli
from app.auth.partners import revoke_api_client, viewer_for_api_key
from app.config import Settings
from app.database import Database
from app.kit.clock import utcnow
from app.kit.security import new_token, token_digest
from app.models.staff import AccessToken, StaffRole
from tests.factories.auth import STAFF_PASSWORD, staff_token
from tests.factories.channels import create_channel
from tests.factories.customers import create_customer, partner_key
from tests.graphql import error_codes, gql

FEED = 'query InventoryFeed { inventoryLevels(channel: "web", first: 5) { totalCount } }'
OTHER = 'query Lookup { customers(search: "ana") { totalCount } }'
STAFF_LOGIN = """
mutation { staffLogin(email: "admin@example.com", password: "%s") { token userErrors { code } } }
"""


async def test_partner_with_inventory_scope_reads_the_feed_and_nothing_else(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_channel(db, code="web")
    scoped = await partner_key(db, scopes=["inventory:read"])
    unscoped = await partner_key(db, scopes=[])
    # when
    feed = await gql(client, FEED, headers={"X-Api-Key": scoped})
    refused = await gql(client, FEED, headers={"X-Api-Key": unscoped})
    customers = await gql(client, OTHER, headers={"X-Api-Key": scoped})
    # then
    assert feed["data"]["inventoryLevels"]["totalCount"] == 0
    assert error_codes(refused) == ["FORBIDDEN"]
    assert error_codes(customers) == ["FORBIDDEN"]
    assert customers["data"] is None


async def test_revoked_and_unknown_keys_are_anonymous(db: Database) -> None:
    # given
    key = await partner_key(db, scopes=["inventory:read"])
    viewer = await viewer_for_api_key(db, key)
    assert viewer is not None
    # when
    async with db.write() as uow:
        await revoke_api_client(uow.session, viewer.partner_id or 0)
    # then
    assert await viewer_for_api_key(db, key) is None
    assert await viewer_for_api_key(db, "ogp_unknown") is None


def test_partners_create_prints_the_key_once_and_stores_its_digest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: Settings,
    db: Database,
) -> None:  # fmt: skip
    # given
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    # when
    code = cli.main(["partners", "create", "--name", "Acme", "--scope", "inventory:read"])
    printed = capsys.readouterr().out
    listed_code = cli.main(["partners", "list"])
    listed = capsys.readouterr().out
    # then
    key = printed.strip().splitlines()[-1]
    assert (code, listed_code) == (0, 0)
    assert key.startswith("ogp_")
    assert key not in listed
    assert "Acme" in listed
    assert "scopes=inventory:read" in listed


def test_partners_create_refuses_unknown_scopes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: Settings,
    db: Database,
) -> None:  # fmt: skip
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    assert cli.main(["partners", "create", "--name", "Acme", "--scope", "orders:everything"]) == 2
    assert "Unknown scopes" in capsys.readouterr().err


async def test_expired_token_is_refused(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    customer = await create_customer(db, email="ana@example.com")
    token = new_token("ogc")
    async with db.write() as uow:
        uow.session.add(AccessToken(
            token_digest=token_digest(token), subject_kind="CUSTOMER", customer_id=customer,
            expires_at=utcnow() - timedelta(seconds=1),
        ))  # fmt: skip
    # when
    me = await gql(client, "query { me { id } }", token=token)
    # then
    assert error_codes(me) == ["UNAUTHENTICATED"]


async def test_staff_sign_in_is_slowed_after_repeated_failures(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    settings.login_failures_per_account = 2
    await staff_token(db, settings, role=StaffRole.ADMIN, email="admin@example.com")
    for _ in range(2):
        await gql(client, STAFF_LOGIN % "wrong-password-1")
    # when
    right = await gql(client, STAFF_LOGIN % STAFF_PASSWORD)
    # then
    assert right["data"]["staffLogin"]["userErrors"] == [{"code": "TOO_MANY_ATTEMPTS"}]


async def test_staff_sign_out_revokes_the_token(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    token = await staff_token(db, settings, role=StaffRole.OPERATIONS)
    # when
    await gql(client, "mutation { staffLogout { signedOut } }", token=token)
    after = await gql(client, 'query { customers(search: "x") { totalCount } }', token=token)
    # then
    assert error_codes(after) == ["UNAUTHENTICATED"]
