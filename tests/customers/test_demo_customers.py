from __future__ import annotations

import httpx

from app.database import Database
from app.demo.loader import load_demo
from app.demo.staff import DEMO_PASSWORD
from tests.graphql import gql

STAFF_LOGIN = """
mutation Login($email: String!, $password: String!) {
  staffLogin(email: $email, password: $password) { token }
}
"""
CUSTOMER_LOGIN = """
mutation Login($email: String!, $password: String!) {
  customerLogin(email: $email, password: $password) { token }
}
"""
SEARCH = """
query { customers(search: "camille roy") { nodes { id hasAccount email phone channelsSeen } } }
"""
MERGE = """
mutation Merge($source: ID!, $target: ID!) {
  customerMerge(sourceId: $source, targetId: $target) { userErrors { code } }
}
"""


async def test_demo_shopper_known_in_store_and_online_is_merged_by_a_store_associate(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await load_demo(db)
    login = await gql(client, STAFF_LOGIN, {"email": "downtown@demo.omnigraph.dev",
                                            "password": DEMO_PASSWORD})  # fmt: skip
    staff = login["data"]["staffLogin"]["token"]
    found = (await gql(client, SEARCH, token=staff))["data"]["customers"]["nodes"]
    store = next(c for c in found if not c["hasAccount"])
    online = next(c for c in found if c["hasAccount"])
    # when
    merged = await gql(client, MERGE, {"source": store["id"], "target": online["id"]}, token=staff)
    signed_in = await gql(client, CUSTOMER_LOGIN, {"email": "camille.roy@demo.omnigraph.dev",
                                                   "password": DEMO_PASSWORD})  # fmt: skip
    me = await gql(
        client, "query { me { id email phone channelsSeen } }",
        token=signed_in["data"]["customerLogin"]["token"],
    )  # fmt: skip
    # then
    assert len(found) == 2
    assert (store["phone"], store["email"]) == ("+15145550142", None)
    assert merged["data"]["customerMerge"]["userErrors"] == []
    assert me["data"]["me"] == {
        "id": online["id"], "email": "camille.roy@demo.omnigraph.dev", "phone": "+15145550142",
        "channelsSeen": ["pos", "web"],
    }  # fmt: skip
