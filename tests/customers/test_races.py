from __future__ import annotations

import asyncio

import httpx
import pytest

from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.customers import create_customer, quick_staff_token
from tests.graphql import gql

pytestmark = pytest.mark.postgres_only

REGISTER = """
mutation Register($input: CustomerRegisterInput!) {
  customerRegister(input: $input) { token userErrors { code } }
}
"""
MERGE = """
mutation Merge($source: ID!, $target: ID!) {
  customerMerge(sourceId: $source, targetId: $target) { customer { id } userErrors { code } }
}
"""


async def test_two_registrations_of_one_email_at_once_make_one_account(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    given = {"input": {"email": "ana@example.com", "password": "a-long-passphrase"}}
    # when
    answers = await asyncio.gather(*[gql(client, REGISTER, given) for _ in range(4)])
    # then
    payloads = [a["data"]["customerRegister"] for a in answers]
    assert sum(1 for p in payloads if p["token"]) == 1
    assert sorted(e["code"] for p in payloads for e in p["userErrors"]) == ["EMAIL_TAKEN"] * 3


async def test_opposite_merges_at_once_leave_one_survivor(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    a = to_global_id("Customer", await create_customer(db, email="a@example.com"))
    b = to_global_id("Customer", await create_customer(db, email="b@example.com"))
    staff = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    # when
    answers = await asyncio.gather(
        gql(client, MERGE, {"source": a, "target": b}, token=staff),
        gql(client, MERGE, {"source": b, "target": a}, token=staff),
    )
    # then
    payloads = [x["data"]["customerMerge"] for x in answers]
    assert sorted(bool(p["customer"]) for p in payloads) == [False, True]
    refused = next(p for p in payloads if not p["customer"])
    assert refused["userErrors"] == [{"code": "CUSTOMER_MERGED"}]
