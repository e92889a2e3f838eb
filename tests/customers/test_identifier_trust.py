from __future__ import annotations

import httpx
import pytest

from app.auth.service import viewer_for_token
from app.config import Settings
from app.customers import accounts
from app.customers.errors import InvalidResetToken
from app.database import Database
from app.models.staff import StaffRole
from tests.factories.channels import create_location
from tests.factories.customers import (
    CUSTOMER_PASSWORD,
    create_customer,
    customer_token,
    quick_staff_token,
)
from tests.graphql import gql
from tests.inventory.helpers import gid

ADD = """
mutation Add($input: CustomerIdentifierAddInput!) {
  customerIdentifierAdd(input: $input) { identifier { id value verified } userErrors { code } }
}"""
VERIFY = """
mutation Verify($id: ID!) {
  customerIdentifierVerify(identifierId: $id) { identifier { verified } userErrors { code } }
}"""
RECOGNISE = """
mutation Recognise($input: CustomerRecogniseInput!) {
  customerRecognise(input: $input) {
    created customer { id } alsoMatchedCustomerIds userErrors { code }
  }
}"""
ME = "query { me { timeline { nodes { kind } } } }"
PHONE = {"kind": "PHONE", "value": "514 555 0199"}


async def test_customers_cannot_claim_loyalty_cards_or_marketplace_ids(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    eve = await create_customer(db, email="eve@example.com")
    token = await customer_token(db, settings, eve)
    for kind, value in (("EXTERNAL", "marketplace-us:8812"), ("LOYALTY_CARD", "CARD-1234")):
        claim = {"customerId": gid("Customer", eve), "kind": kind, "value": value}
        body = await gql(client, ADD, {"input": claim}, token=token)
        payload = body["data"]["customerIdentifierAdd"]
        assert payload["userErrors"] == [{"code": "IDENTIFIER_KIND_STAFF_ONLY"}]
        assert payload["identifier"] is None


async def test_a_phone_a_customer_typed_in_does_not_recognise_them_until_verified(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given Eve claims a phone number on her own profile
    store = await create_location(db, code="downtown")
    eve = await create_customer(db, email="eve@example.com")
    eve_token = await customer_token(db, settings, eve)
    added = await gql(client, ADD, {"input": {"customerId": gid("Customer", eve), **PHONE}},
                      token=eve_token)  # fmt: skip
    identifier = added["data"]["customerIdentifierAdd"]["identifier"]
    assert identifier["verified"] is False
    associate = await quick_staff_token(db, role=StaffRole.STORE_ASSOCIATE, email="a@x.com",
                                        home_location_id=store.id)  # fmt: skip
    # when the phone's real owner is recognised at the till
    got = await gql(client, RECOGNISE, {"input": {"identifiers": [PHONE]}}, token=associate)
    # then a new guest is made, Eve is only a candidate, and she sees nothing of the visit
    result = got["data"]["customerRecognise"]
    assert result["created"] is True
    assert result["customer"]["id"] != gid("Customer", eve)
    assert result["alsoMatchedCustomerIds"] == [gid("Customer", eve)]
    kinds = [n["kind"] for n in (await gql(client, ME, token=eve_token))["data"]["me"]
             ["timeline"]["nodes"]]  # fmt: skip
    assert "RECOGNISED" not in kinds
    # and once staff have verified the phone with Eve, it recognises her
    verified = await gql(client, VERIFY, {"id": identifier["id"]}, token=associate)
    assert verified["data"]["customerIdentifierVerify"]["userErrors"] == []
    again = await gql(client, RECOGNISE, {"input": {"identifiers": [PHONE]}}, token=associate)
    assert again["data"]["customerRecognise"]["customer"]["id"] == gid("Customer", eve)
    assert again["data"]["customerRecognise"]["created"] is False


async def test_a_password_change_voids_earlier_reset_links(
    db: Database, settings: Settings
) -> None:
    # given a reset link was issued
    await create_customer(db, email="ana@example.com")
    async with db.write() as uow:
        issued = await accounts.request_password_reset(uow.session, settings,
                                                       email="ana@example.com")  # fmt: skip
    assert issued is not None
    async with db.write() as uow:
        login = await accounts.login(uow.session, settings, email="ana@example.com",
                                     password=CUSTOMER_PASSWORD)  # fmt: skip
    viewer = await viewer_for_token(db, login.token)
    assert viewer is not None
    # when the owner changes her password
    async with db.write() as uow:
        await accounts.change_password(uow.session, settings, viewer, current=CUSTOMER_PASSWORD,
                                       new="another-long-pass")  # fmt: skip
    # then the old link no longer works
    with pytest.raises(InvalidResetToken):
        async with db.write() as uow:
            await accounts.reset_password(uow.session, settings, token=issued.token,
                                          new_password="attacker-chosen-1")  # fmt: skip
