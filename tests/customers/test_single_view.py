from __future__ import annotations

import httpx

from app.config import Settings
from app.customers.timeline import record_customer_event
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import error_codes, gql

VIEW = """
query One($id: ID!, $after: String) {
  customer(id: $id) {
    displayName email identifiers { kind value } channelsSeen
    addresses { line1 city countryCode phone }
    consents { purpose granted history { granted source } }
    timeline(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { kind channelCode data }
    }
  }
}
"""
ADDRESS = """
mutation Address($input: CustomerAddressAddInput!) {
  customerAddressAdd(input: $input) { customer { addresses { city } } userErrors { field code } }
}
"""
CONSENT = """
mutation Consent($input: CustomerConsentUpdateInput!) {
  customerConsentUpdate(input: $input) { userErrors { code } }
}
"""
LIST = """
query List($first: Int!) {
  customers(search: "silva", first: $first) {
    nodes {
      email identifiers { value } addresses { city } consents { granted } channelsSeen
      timeline(first: 2) { totalCount pageInfo { hasNextPage } nodes { kind } }
    }
  }
}
"""


async def test_single_view_shows_profile_addresses_consents_and_timeline_newest_first(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com")
    ana_id = to_global_id("Customer", ana)
    token = await customer_token(db, settings, ana)
    address = {"line1": "977 Rue Sainte-Catherine O", "city": "Montréal", "countryCode": "ca",
               "phone": "514 555 0199"}  # fmt: skip
    await gql(client, ADDRESS, {"input": {"customerId": ana_id, "address": address}}, token=token)
    for granted in (True, False):
        await gql(
            client, CONSENT,
            {"input": {"customerId": ana_id, "purpose": "MARKETING_EMAIL", "granted": granted}},
            token=token,
        )  # fmt: skip
    async with db.write() as uow:
        # What a later domain records through the same service.
        await record_customer_event(
            uow.session, ana, "ORDER_PLACED", channel_code="app", data={"orderNumber": "1001"}
        )
    staff = await quick_staff_token(db, role=StaffRole.STORE_ASSOCIATE, email="sa@example.com")
    # when
    first = await gql(client, VIEW, {"id": ana_id}, token=staff)
    cursor = first["data"]["customer"]["timeline"]["pageInfo"]["endCursor"]
    second = await gql(client, VIEW, {"id": ana_id, "after": cursor}, token=staff)
    # then
    view = first["data"]["customer"]
    assert view["displayName"] == "Ana Silva"
    assert view["addresses"] == [{"line1": "977 Rue Sainte-Catherine O", "city": "Montréal",
                                  "countryCode": "CA", "phone": "+15145550199"}]  # fmt: skip
    email_consent = next(c for c in view["consents"] if c["purpose"] == "MARKETING_EMAIL")
    assert email_consent["granted"] is False
    assert [h["granted"] for h in email_consent["history"]] == [False, True]
    sms = next(c for c in view["consents"] if c["purpose"] == "MARKETING_SMS")
    assert sms == {"purpose": "MARKETING_SMS", "granted": False, "history": []}
    assert view["channelsSeen"] == ["app", "web"]
    timeline = view["timeline"]
    assert timeline["totalCount"] == 6
    assert [n["kind"] for n in timeline["nodes"]] == ["ORDER_PLACED", "CONSENT_CHANGED"]
    assert timeline["nodes"][0]["data"] == {"orderNumber": "1001"}
    assert [n["kind"] for n in second["data"]["customer"]["timeline"]["nodes"]] == [
        "CONSENT_CHANGED", "ADDRESS_ADDED"
    ]  # fmt: skip


async def test_a_customer_cannot_read_or_change_another_customer(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com")
    bo = await create_customer(db, email="bo@example.com")
    token = await customer_token(db, settings, ana)
    bo_id = to_global_id("Customer", bo)
    # when
    read = await gql(client, VIEW, {"id": bo_id}, token=token)
    node = await gql(client, "query N($id: ID!) { node(id: $id) { id } }", {"id": bo_id},
                     token=token)  # fmt: skip
    change = await gql(
        client, CONSENT,
        {"input": {"customerId": bo_id, "purpose": "MARKETING_SMS", "granted": True}},
        token=token,
    )  # fmt: skip
    # then
    assert error_codes(read) == ["FORBIDDEN"]
    assert read["data"] == {"customer": None}
    assert node["data"]["node"] is None
    assert change["data"]["customerConsentUpdate"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_customer_list_costs_the_same_statements_at_any_page_size(
    client: httpx.AsyncClient, db: Database, count_statements: object
) -> None:
    # given
    for n in range(12):
        await create_customer(db, email=f"c{n}@example.com", phone=f"+1514555{n:04d}")
    staff = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    counter = count_statements
    # when
    before = counter.count  # type: ignore[attr-defined]
    small = await gql(client, LIST, {"first": 2}, token=staff)
    middle = counter.count  # type: ignore[attr-defined]
    large = await gql(client, LIST, {"first": 12}, token=staff)
    after = counter.count  # type: ignore[attr-defined]
    # then
    assert len(small["data"]["customers"]["nodes"]) == 2
    assert len(large["data"]["customers"]["nodes"]) == 12
    timeline = large["data"]["customers"]["nodes"][0]["timeline"]
    assert timeline["totalCount"] == 3
    assert timeline["pageInfo"]["hasNextPage"] is True
    assert [n["kind"] for n in timeline["nodes"]] == ["IDENTIFIER_ADDED", "IDENTIFIER_ADDED"]
    assert middle - before == after - middle
