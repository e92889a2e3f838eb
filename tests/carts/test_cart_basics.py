"""Creating, reading and changing carts through GraphQL; who may reach which cart."""

from __future__ import annotations

import httpx

from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from tests.carts.documents import ADD, CART, CREATE, NOTE, REMOVE, UPDATE, line
from tests.conftest import StatementCounter
from tests.factories.carts import world
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import error_codes, gql


async def test_guest_cart_is_created_priced_and_read_back_by_its_id(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    # when
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant("TEE-0"), 2), line(w.variant("MUG-0"))],
            }
        },
    )
    cart = created["data"]["cartCreate"]["cart"]
    read = await gql(client, CART, {"id": cart["id"]})
    # then
    assert created["data"]["cartCreate"]["userErrors"] == []
    assert cart["id"].startswith("crt_")
    assert len(cart["id"]) > 30
    assert read["data"]["cart"] == cart
    assert cart["totalQuantity"] == 3
    assert [ln["sku"] for ln in cart["lines"]] == ["TEE-0", "MUG-0"]
    assert cart["cost"]["subtotal"] == {"amount": "52.00", "currencyCode": "CAD"}
    # QC 14.975 % on 52.00 = 7.787 -> 7.79 (per line: 5.99 + 1.80)
    assert cart["cost"]["tax"]["amount"] == "7.79"
    assert cart["cost"]["total"]["amount"] == "59.79"
    assert cart["cost"]["shipping"] is None


async def test_lines_are_added_updated_and_removed(client: httpx.AsyncClient, db: Database) -> None:
    # given
    w = await world(db)
    created = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"))]}}
    )
    cart_id = created["data"]["cartCreate"]["cart"]["id"]
    # when
    added = await gql(
        client,
        ADD,
        {"id": cart_id, "lines": [line(w.variant("TEE-0"), 2), line(w.variant("MUG-1"), 1)]},
    )
    lines = added["data"]["cartLinesAdd"]["cart"]["lines"]
    updated = await gql(
        client,
        UPDATE,
        {
            "id": cart_id,
            "lines": [{"id": lines[0]["id"], "quantity": 5}, {"id": lines[1]["id"], "quantity": 0}],
        },
    )
    after_update = updated["data"]["cartLinesUpdate"]["cart"]["lines"]
    removed = await gql(client, REMOVE, {"id": cart_id, "lines": [lines[0]["id"]]})
    noted = await gql(client, NOTE, {"id": cart_id, "note": "gift wrap"})
    # then
    assert [(ln["sku"], ln["quantity"]) for ln in lines] == [("TEE-0", 3), ("MUG-1", 1)]
    assert [(ln["sku"], ln["quantity"]) for ln in after_update] == [("TEE-0", 5)]
    assert removed["data"]["cartLinesRemove"]["cart"]["lines"] == []
    assert noted["data"]["cartNoteUpdate"]["cart"]["note"] == "gift wrap"


async def test_a_customers_cart_is_theirs_alone(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    w = await world(db)
    ana = await create_customer(db, email="ana@example.com")
    bob = await create_customer(db, email="bob@example.com")
    ana_token = await customer_token(db, settings, ana)
    bob_token = await customer_token(db, settings, bob)
    created = await gql(
        client,
        CREATE,
        {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"))]}},
        token=ana_token,
    )
    cart_id = created["data"]["cartCreate"]["cart"]["id"]
    # when
    as_ana = await gql(client, CART, {"id": cart_id}, token=ana_token)
    as_bob = await gql(client, CART, {"id": cart_id}, token=bob_token)
    as_guest = await gql(client, CART, {"id": cart_id})
    unknown = await gql(client, CART, {"id": "crt_nothing-here"})
    bob_adds = await gql(
        client, ADD, {"id": cart_id, "lines": [line(w.variant("MUG-0"))]}, token=bob_token
    )
    # then
    assert as_ana["data"]["cart"]["buyerIdentity"]["customerId"] is not None
    for body in (as_bob, as_guest, unknown):
        assert body["data"]["cart"] is None
        assert error_codes(body) == ["NOT_FOUND"]
    assert as_bob["errors"][0]["message"] == unknown["errors"][0]["message"]
    assert bob_adds["data"]["cartLinesAdd"] == {
        "cart": None,
        "userErrors": [
            {"field": ["cartId"], "code": "NOT_FOUND", "message": "No cart with this ID"}
        ],
    }


async def test_an_associate_opens_a_pos_cart_for_a_customer_and_colleagues_elsewhere_cannot_see_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    from tests.factories.channels import create_location

    other_store = await create_location(db, code="elsewhere", pickup=True)
    ana = await create_customer(db, email="ana@example.com")
    here = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="a@example.com", home_location_id=w.store.id
    )
    there = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="b@example.com", home_location_id=other_store.id
    )
    from schema.relay import to_global_id

    # when
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "pos",
                "buyerIdentity": {"customerId": to_global_id("Customer", ana)},
                "lines": [line(w.variant("MUG-0"))],
            }
        },
        token=here,
    )
    cart = created["data"]["cartCreate"]["cart"]
    seen_here = await gql(client, CART, {"id": cart["id"]}, token=here)
    seen_there = await gql(client, CART, {"id": cart["id"]}, token=there)
    # then
    assert cart["channel"]["code"] == "pos"
    assert seen_here["data"]["cart"]["id"] == cart["id"]
    assert error_codes(seen_there) == ["NOT_FOUND"]


async def test_reading_a_cart_costs_the_same_statements_for_one_line_or_many(
    client: httpx.AsyncClient, db: Database, count_statements: StatementCounter
) -> None:
    # given
    w = await world(db)
    query = (
        "query C($id: ID!) { cart(id: $id) { cost { total { amount } } warnings { code }"
        " lines { cost { total { amount } } merchandise { sku product { title } } } } }"
    )
    small = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"))]}}
    )
    large = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant(sku)) for sku in ("TEE-0", "TEE-1", "MUG-0", "MUG-1")],
            }
        },
    )
    counts = []
    for created in (small, large):
        # when
        before = count_statements.count
        body = await gql(client, query, {"id": created["data"]["cartCreate"]["cart"]["id"]})
        counts.append(count_statements.count - before)
        assert "errors" not in body, body
    # then
    assert counts[0] == counts[1]
