"""Journey 2: start a cart on the phone, finish it on the desktop (same customer, one cart)."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from schema.relay import to_global_id
from tests.carts.documents import ADD, BUYER, CART, CREATE, ME_CART, line
from tests.factories.carts import world
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import error_codes, gql

MERGE = """
mutation Merge($source: ID!, $target: ID!) {
  customerMerge(sourceId: $source, targetId: $target) { userErrors { code } }
}
"""


def _quantities(cart: dict[str, object]) -> dict[str, int]:
    return {ln["sku"]: ln["quantity"] for ln in cart["lines"]}  # type: ignore[attr-defined,index]


async def test_start_on_the_phone_finish_on_the_desktop(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: Camille signed in on her phone and on her desktop
    w = await world(db)
    camille = await create_customer(db, email="camille@example.com")
    phone = await customer_token(db, settings, camille)
    desktop = await customer_token(db, settings, camille)
    app, web = {"X-Channel": "app"}, {"X-Channel": "web"}
    started = await gql(
        client,
        CREATE,
        {"input": {"channel": "app", "lines": [line(w.variant("TEE-0"))]}},
        token=phone,
        headers=app,
    )
    phone_cart = started["data"]["cartCreate"]["cart"]
    # ...and, before signing in on the desktop, a guest cart there
    guest = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant("TEE-0"), 3), line(w.variant("MUG-0"), 2)],
            }
        },
        headers=web,
    )
    guest_id = guest["data"]["cartCreate"]["cart"]["id"]
    # when: she signs in on the desktop, which hands the guest cart to her
    signed_in = await gql(client, BUYER, {"id": guest_id, "buyer": {}}, token=desktop, headers=web)
    merged = signed_in["data"]["cartBuyerIdentityUpdate"]["cart"]
    await gql(
        client,
        ADD,
        {"id": merged["id"], "lines": [line(w.variant("MUG-1"))]},
        token=desktop,
        headers=web,
    )
    on_phone = await gql(client, ME_CART, {"channel": "app"}, token=phone, headers=app)
    # then: one cart; same variant kept the larger quantity, others appended
    assert signed_in["data"]["cartBuyerIdentityUpdate"]["userErrors"] == []
    assert merged["id"] == phone_cart["id"]
    assert _quantities(merged) == {"TEE-0": 3, "MUG-0": 2}
    cart = on_phone["data"]["me"]["cart"]
    assert cart["id"] == phone_cart["id"]
    assert _quantities(cart) == {"TEE-0": 3, "MUG-0": 2, "MUG-1": 1}
    # the desktop's last change moved the cart to the web channel (same group, same prices)
    assert cart["channel"]["code"] == "web"
    # and the guest cart is read-only; its ID leads to the survivor for Camille only
    via_old_id = await gql(client, CART, {"id": guest_id}, token=desktop)
    assert via_old_id["data"]["cart"]["id"] == phone_cart["id"]
    assert error_codes(await gql(client, CART, {"id": guest_id})) == ["NOT_FOUND"]
    write_old = await gql(
        client, ADD, {"id": guest_id, "lines": [line(w.variant("MUG-0"))]}, token=desktop
    )
    assert write_old["data"]["cartLinesAdd"]["userErrors"][0]["code"] == "CART_MERGED"


async def test_cart_create_by_a_signed_in_customer_returns_their_one_cart_for_the_group(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    associate = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="s@example.com", home_location_id=w.store.id
    )
    # when
    first = await gql(
        client,
        CREATE,
        {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"))]}},
        token=token,
    )
    second = await gql(
        client,
        CREATE,
        {"input": {"channel": "app", "lines": [line(w.variant("TEE-0"))]}},
        token=token,
    )
    at_till = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "pos",
                "buyerIdentity": {"customerId": to_global_id("Customer", ana)},
            }
        },
        token=associate,
    )
    # then
    one = first["data"]["cartCreate"]["cart"]
    two = second["data"]["cartCreate"]["cart"]
    till = at_till["data"]["cartCreate"]["cart"]
    assert one["id"] == two["id"]
    assert _quantities(two) == {"TEE-0": 2}
    assert till["id"] != one["id"]
    pos_cart = await gql(client, ME_CART, {"channel": "pos"}, token=token)
    assert pos_cart["data"]["me"]["cart"]["id"] == till["id"]


async def test_a_customer_merge_moves_and_merges_their_carts(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: two profiles of one person, each with an online cart; one also with a POS cart
    w = await world(db)
    store = await create_customer(db, email=None, phone="+15145550199")
    online = await create_customer(db, email="ana@example.com")
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    store_gid, online_gid = to_global_id("Customer", store), to_global_id("Customer", online)
    for customer, lines in (
        (store_gid, [line(w.variant("TEE-0"), 4)]),
        (online_gid, [line(w.variant("TEE-0"), 1), line(w.variant("MUG-0"))]),
    ):
        await gql(
            client,
            CREATE,
            {
                "input": {
                    "channel": "web",
                    "lines": lines,
                    "buyerIdentity": {"customerId": customer},
                }
            },
            token=ops,
        )
    pos = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "pos",
                "lines": [line(w.variant("MUG-1"))],
                "buyerIdentity": {"customerId": store_gid},
            }
        },
        token=ops,
    )
    # when
    merged = await gql(client, MERGE, {"source": store_gid, "target": online_gid}, token=ops)
    token = await customer_token(db, settings, online)
    web_cart = await gql(client, ME_CART, {"channel": "web"}, token=token)
    pos_cart = await gql(client, ME_CART, {"channel": "pos"}, token=token)
    # then
    assert merged["data"]["customerMerge"]["userErrors"] == []
    assert _quantities(web_cart["data"]["me"]["cart"]) == {"TEE-0": 4, "MUG-0": 1}
    assert pos_cart["data"]["me"]["cart"]["id"] == pos["data"]["cartCreate"]["cart"]["id"]
