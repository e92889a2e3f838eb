from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import gql

EXPORT = """
mutation Export($id: ID!) { customerDataExport(customerId: $id) { data userErrors { code } } }
"""
ERASE = """
mutation Erase($id: ID!) { customerErase(customerId: $id) { erasedCustomerId userErrors { code } } }
"""
VIEW = """
query One($id: ID!) {
  customer(id: $id) {
    firstName erased hasAccount identifiers { value } timeline { nodes { kind data } }
  }
}
"""


async def test_a_customer_exports_everything_held_about_them(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com", phone="+15145550199")
    token = await customer_token(db, settings, ana)
    # when
    body = await gql(client, EXPORT, {"id": to_global_id("Customer", ana)}, token=token)
    # then
    data = body["data"]["customerDataExport"]["data"]
    assert data["customer"]["firstName"] == "Ana"
    assert {i["value"] for i in data["identifiers"]} == {"ana@example.com", "+15145550199"}
    assert [e["kind"] for e in data["timeline"]][:1] == ["REGISTERED"]
    assert len(data["sessions"]) == 1
    assert set(data) >= {"addresses", "consents"}


async def test_store_staff_cannot_export_and_customers_only_their_own(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com")
    bo = await create_customer(db, email="bo@example.com")
    token = await customer_token(db, settings, ana)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    # when
    other = await gql(client, EXPORT, {"id": to_global_id("Customer", bo)}, token=token)
    staff = await gql(client, EXPORT, {"id": to_global_id("Customer", bo)}, token=ops)
    # then
    assert other["data"]["customerDataExport"] == {
        "data": None,
        "userErrors": [{"code": "FORBIDDEN"}],
    }
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_erasure_anonymises_the_person_and_keeps_the_record(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com", phone="+15145550199")
    ana_id = to_global_id("Customer", ana)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    token = await customer_token(db, settings, ana)
    # when
    erased = await gql(client, ERASE, {"id": ana_id}, token=admin)
    view = await gql(client, VIEW, {"id": ana_id}, token=admin)
    me = await gql(client, "query { me { id } }", token=token)
    login = await gql(
        client, 'mutation { customerLogin(email: "ana@example.com", password: "blue-canoe-paddle")'
        " { userErrors { code } } }",
    )  # fmt: skip
    # then
    assert erased["data"]["customerErase"]["erasedCustomerId"] == ana_id
    customer = view["data"]["customer"]
    assert customer["firstName"] == ""
    assert customer["erased"] is True
    assert customer["hasAccount"] is False
    assert customer["identifiers"] == []
    assert customer["timeline"]["nodes"][0]["kind"] == "ERASED"
    assert all(n["data"] == {} for n in customer["timeline"]["nodes"])
    assert me["data"] == {"me": None}
    assert login["data"]["customerLogin"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
