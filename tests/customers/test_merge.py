from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.customers.merge import MergeContext, register_merge_hook
from app.database import Database
from app.models.customer import Customer
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import error_codes, gql

MERGE = """
mutation Merge($source: ID!, $target: ID!) {
  customerMerge(sourceId: $source, targetId: $target) {
    customer {
      id email phone hasAccount mergedCustomerIds channelsSeen
      identifiers { kind value }
      timeline(first: 1) { nodes { kind data } }
    }
    userErrors { field code }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Customer { email phone } } }"
CUSTOMER = "query One($id: ID!) { customer(id: $id) { id email } }"

# A second domain's rows, as a cart or order table would hold them.
_test_tables = MetaData()
wishlist = Table(
    "test_wishlist",
    _test_tables,
    Column("id", Integer, primary_key=True),
    Column("customer_id", BigInteger, nullable=False),
    Column("sku", String(50), nullable=False),
)


@pytest.fixture
async def wishlists(db: Database) -> AsyncIterator[None]:
    async with db.engine.begin() as conn:
        await conn.run_sync(_test_tables.create_all)

    async def move_wishlist(session: AsyncSession, merge: MergeContext) -> None:
        await session.execute(
            update(wishlist)
            .where(wishlist.c.customer_id == merge.source_id)
            .values(customer_id=merge.target_id)
        )

    unregister = register_merge_hook("test-wishlist", move_wishlist)
    yield
    unregister()
    async with db.engine.begin() as conn:
        await conn.run_sync(_test_tables.drop_all)


async def test_shopper_known_by_phone_in_store_merges_into_online_profile(
    client: httpx.AsyncClient, db: Database, settings: Settings, wishlists: None
) -> None:
    # given
    store = await create_customer(db, email=None, phone="+15145550199", with_account=False,
                                  channel_code="pos")  # fmt: skip
    online = await create_customer(db, email="ana@example.com", channel_code="web")
    async with db.engine.begin() as conn:
        await conn.execute(wishlist.insert().values(customer_id=store, sku="BOOT-1"))
    staff = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    store_id, online_id = to_global_id("Customer", store), to_global_id("Customer", online)
    # when
    merged = await gql(client, MERGE, {"source": store_id, "target": online_id}, token=staff)
    # then
    customer = merged["data"]["customerMerge"]["customer"]
    assert merged["data"]["customerMerge"]["userErrors"] == []
    assert customer["id"] == online_id
    assert (customer["email"], customer["phone"]) == ("ana@example.com", "+15145550199")
    assert customer["mergedCustomerIds"] == [store_id]
    assert customer["channelsSeen"] == ["pos", "web"]
    assert customer["timeline"]["nodes"][0]["kind"] == "MERGED"
    assert customer["timeline"]["nodes"][0]["data"]["sourceCustomerId"] == store
    async with db.read() as conn:
        owners = (await conn.execute(select(wishlist.c.customer_id))).scalars().all()
    assert owners == [online]
    # The old ID still finds the survivor, through node and through customer.
    old = await gql(client, NODE, {"id": store_id}, token=staff)
    assert old["data"]["node"] == {"id": online_id, "email": "ana@example.com",
                                   "phone": "+15145550199"}  # fmt: skip
    by_customer = await gql(client, CUSTOMER, {"id": store_id}, token=staff)
    assert by_customer["data"]["customer"]["id"] == online_id
    # The tombstone keeps no personal data of its own.
    async with db.read() as conn:
        names = (
            await conn.execute(select(Customer.first_name, Customer.last_name,
                                      Customer.password_hash).where(Customer.id == store))
        ).one()  # fmt: skip
    assert tuple(names) == ("", "", None)


async def test_refused_merges_write_nothing(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    a = await create_customer(db, email="a@example.com", loyalty_card="CARD000001")
    b = await create_customer(db, email="b@example.com", loyalty_card="CARD000002")
    c = await create_customer(db, email="c@example.com")
    d = await create_customer(db, email="d@example.com")
    staff = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    ids = {n: to_global_id("Customer", pk) for n, pk in {"a": a, "b": b, "c": c, "d": d}.items()}
    await gql(client, MERGE, {"source": ids["c"], "target": ids["d"]}, token=staff)

    async def merge(source: str, target: str) -> list[str]:
        body = await gql(client, MERGE, {"source": ids[source], "target": ids[target]}, token=staff)
        assert body["data"]["customerMerge"]["customer"] is None
        return [e["code"] for e in body["data"]["customerMerge"]["userErrors"]]

    # when
    codes = [await merge("a", "a"), await merge("a", "b"), await merge("a", "c"),
             await merge("c", "a")]  # fmt: skip
    # then
    assert codes == [["MERGE_INTO_SELF"], ["IDENTIFIER_CONFLICT"], ["CUSTOMER_MERGED"],
                     ["CUSTOMER_MERGED"]]  # fmt: skip
    one = await gql(client, CUSTOMER, {"id": ids["a"]}, token=staff)
    assert one["data"]["customer"]["email"] == "a@example.com"


async def test_merged_customer_is_signed_out_and_signs_in_to_the_survivor(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    source = await create_customer(db, email="old@example.com")
    target = await create_customer(db, email="new@example.com", with_account=False)
    token = await customer_token(db, settings, source)
    staff = await quick_staff_token(db, role=StaffRole.STORE_ASSOCIATE, email="sa@example.com")
    # when
    await gql(client, MERGE, {"source": to_global_id("Customer", source),
                              "target": to_global_id("Customer", target)}, token=staff)  # fmt: skip
    me = await gql(client, "query { me { id } }", token=token)
    login = await gql(
        client,
        'mutation { customerLogin(email: "old@example.com", password: "blue-canoe-paddle") '
        "{ token } }",
    )
    fresh = login["data"]["customerLogin"]["token"]
    again = await gql(client, "query { me { id email } }", token=fresh)
    # then
    assert error_codes(me) == ["UNAUTHENTICATED"]
    assert again["data"]["me"]["id"] == to_global_id("Customer", target)


async def test_customers_and_partners_without_scope_cannot_merge(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    a = await create_customer(db, email="a@example.com")
    b = await create_customer(db, email="b@example.com")
    token = await customer_token(db, settings, a)
    variables = {"source": to_global_id("Customer", b), "target": to_global_id("Customer", a)}
    # when
    as_customer = await gql(client, MERGE, variables, token=token)
    anonymous = await gql(client, MERGE, variables)
    # then
    assert error_codes(as_customer) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert as_customer["data"] is None
