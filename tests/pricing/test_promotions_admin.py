"""Staff create, change and archive promotions and issue codes; shoppers see the effect."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from app.config import Settings
from app.database import Database
from app.models.pricing import DiscountCode
from app.models.staff import StaffRole
from app.pricing.redemption import redeem_codes
from tests.carts.documents import CODES, CREATE, line
from tests.factories.carts import world
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import error_codes, gql

CREATE_PROMOTION = """
mutation Create($input: PromotionCreateInput!) {
  promotionCreate(input: $input) {
    promotion { id name status trigger kind target percentage channels segments priority
                combinable amounts { amount currencyCode } minimumSubtotals { amount } }
    userErrors { field code message }
  }
}
"""
UPDATE_PROMOTION = """
mutation Update($id: ID!, $input: PromotionInput!) {
  promotionUpdate(id: $id, input: $input) {
    promotion { id name percentage channels } userErrors { field code }
  }
}
"""
ARCHIVE = """
mutation Archive($id: ID!) {
  promotionArchive(id: $id) { promotion { status } userErrors { code } }
}
"""
CODES_CREATE = """
mutation Codes($input: DiscountCodesCreateInput!) {
  discountCodesCreate(input: $input) { codes promotion { id } userErrors { field code } }
}
"""
PROMOTION_NAMES = """
query PromotionNames { promotions(first: 10) { nodes { name } } }
"""

PROMOTIONS = """
query Promotions($status: PromotionStatus) {
  promotions(status: $status, first: 10) {
    totalCount nodes { name status codes { code usageLimit timesUsed } }
  }
}
"""


async def test_staff_run_a_promotion_from_creation_to_archive(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    # when: 10 % off the order over 50.00, only on the app
    created = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "App ten",
                "trigger": "AUTOMATIC",
                "kind": "PERCENTAGE",
                "target": "ORDER",
                "settings": {
                    "percentage": "10",
                    "channels": ["app"],
                    "minimumSubtotals": [{"amount": "50", "currencyCode": "CAD"}],
                },
            }
        },
        token=ops,
    )
    promotion = created["data"]["promotionCreate"]["promotion"]
    on_app = await gql(
        client, CREATE, {"input": {"channel": "app", "lines": [line(w.variant("TEE-0"), 3)]}}
    )
    updated = await gql(
        client,
        UPDATE_PROMOTION,
        {"id": promotion["id"], "input": {"percentage": "12.5", "channels": []}},
        token=ops,
    )
    on_web = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"), 3)]}}
    )
    archived = await gql(client, ARCHIVE, {"id": promotion["id"]}, token=ops)
    after = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"), 3)]}}
    )
    # then
    assert created["data"]["promotionCreate"]["userErrors"] == []
    assert (promotion["percentage"], promotion["channels"], promotion["minimumSubtotals"]) == (
        "10",
        ["app"],
        [{"amount": "50.00"}],
    )
    assert on_app["data"]["cartCreate"]["cart"]["cost"]["discounts"][0]["amount"] == {
        "amount": "6.00"
    }
    assert updated["data"]["promotionUpdate"]["promotion"]["percentage"] == "12.5"
    assert on_web["data"]["cartCreate"]["cart"]["cost"]["discounts"][0]["amount"] == {
        "amount": "7.50"
    }
    assert archived["data"]["promotionArchive"]["promotion"]["status"] == "ARCHIVED"
    assert after["data"]["cartCreate"]["cart"]["cost"]["discounts"] == []


async def test_a_thousand_unique_codes_in_a_few_statements(
    client: httpx.AsyncClient, db: Database, count_statements: object
) -> None:
    # given
    await world(db)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    created = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "Flyer",
                "trigger": "CODE",
                "kind": "FIXED_AMOUNT",
                "target": "ORDER",
                "settings": {"amounts": [{"amount": "5", "currencyCode": "CAD"}]},
            }
        },
        token=admin,
    )
    promotion_id = created["data"]["promotionCreate"]["promotion"]["id"]
    counter = count_statements
    before = counter.count  # type: ignore[attr-defined]
    # when
    made = await gql(
        client,
        CODES_CREATE,
        {"input": {"promotionId": promotion_id, "count": 1000, "prefix": "FLY-", "usageLimit": 1}},
        token=admin,
    )
    # then
    codes = made["data"]["discountCodesCreate"]["codes"]
    assert made["data"]["discountCodesCreate"]["userErrors"] == []
    assert len(codes) == len(set(codes)) == 1000
    assert all(c.startswith("FLY-") and len(c) == 14 for c in codes)
    assert counter.count - before < 20  # type: ignore[attr-defined]
    async with db.read() as conn:
        stored = (await conn.execute(select(func.count()).select_from(DiscountCode))).scalar()
    assert stored == 1000


async def test_promotion_input_and_codes_are_checked(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await world(db)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    auto = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "Auto",
                "trigger": "AUTOMATIC",
                "kind": "PERCENTAGE",
                "target": "ORDER",
                "settings": {"percentage": "5"},
            }
        },
        token=admin,
    )
    coded = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "Coded",
                "trigger": "CODE",
                "kind": "PERCENTAGE",
                "target": "ORDER",
                "settings": {"percentage": "5"},
            }
        },
        token=admin,
    )
    coded_id = coded["data"]["promotionCreate"]["promotion"]["id"]
    await gql(
        client, CODES_CREATE, {"input": {"promotionId": coded_id, "codes": ["SPRING"]}}, token=admin
    )
    # when
    bad = [
        await gql(
            client,
            CREATE_PROMOTION,
            {
                "input": {
                    "name": "No pct",
                    "trigger": "AUTOMATIC",
                    "kind": "PERCENTAGE",
                    "target": "ORDER",
                }
            },
            token=admin,
        ),
        await gql(
            client,
            CREATE_PROMOTION,
            {
                "input": {
                    "name": "Where",
                    "trigger": "AUTOMATIC",
                    "kind": "PERCENTAGE",
                    "target": "ORDER",
                    "settings": {"percentage": "5", "channels": ["mars"]},
                }
            },
            token=admin,
        ),
        await gql(
            client,
            CREATE_PROMOTION,
            {
                "input": {
                    "name": "Big",
                    "trigger": "AUTOMATIC",
                    "kind": "PERCENTAGE",
                    "target": "PRODUCTS",
                    "settings": {"percentage": "5"},
                }
            },
            token=admin,
        ),
        await gql(
            client,
            CODES_CREATE,
            {"input": {"promotionId": coded_id, "codes": ["spring"]}},
            token=admin,
        ),
        await gql(
            client,
            CODES_CREATE,
            {
                "input": {
                    "promotionId": auto["data"]["promotionCreate"]["promotion"]["id"],
                    "count": 3,
                }
            },
            token=admin,
        ),
    ]
    # then
    codes = [next(iter(b["data"].values()))["userErrors"][0]["code"] for b in bad]
    assert codes == [
        "INVALID_PROMOTION",
        "UNKNOWN_CHANNEL",
        "INVALID_PROMOTION",
        "DISCOUNT_CODE_TAKEN",
        "INVALID_PROMOTION",
    ]


async def test_promotions_are_staff_business_and_codes_have_per_customer_limits(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: a code any shopper may use once
    w = await world(db)
    admin = await quick_staff_token(db, role=StaffRole.ADMIN, email="admin@example.com")
    associate = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="s@example.com", home_location_id=w.store.id
    )
    ana_id = await create_customer(db)
    ana = await customer_token(db, settings, ana_id)
    made = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "Once each",
                "trigger": "CODE",
                "kind": "PERCENTAGE",
                "target": "ORDER",
                "settings": {"percentage": "5", "usageLimitPerCustomer": 1},
            }
        },
        token=admin,
    )
    await gql(
        client,
        CODES_CREATE,
        {
            "input": {
                "promotionId": made["data"]["promotionCreate"]["promotion"]["id"],
                "codes": ["ONCE"],
            }
        },
        token=admin,
    )
    cart = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "discountCodes": ["once"],
                "lines": [line(w.variant("TEE-0"))],
            }
        },
        token=ana,
    )
    cart_id = cart["data"]["cartCreate"]["cart"]["id"]
    async with db.write() as uow:
        await redeem_codes(uow, cart_id=None, customer_id=ana_id, codes=["ONCE"])
    # when
    again = await gql(client, CODES, {"id": cart_id, "codes": ["ONCE"]}, token=ana)
    as_associate = await gql(client, PROMOTION_NAMES, {}, token=associate)
    associate_reads_codes = await gql(client, PROMOTIONS, {}, token=associate)
    as_admin = await gql(client, PROMOTIONS, {}, token=admin)
    associate_creates = await gql(
        client,
        CREATE_PROMOTION,
        {
            "input": {
                "name": "Mine",
                "trigger": "AUTOMATIC",
                "kind": "PERCENTAGE",
                "target": "ORDER",
                "settings": {"percentage": "50"},
            }
        },
        token=associate,
    )
    as_customer = await gql(client, PROMOTIONS, {}, token=ana)
    # then
    assert cart["data"]["cartCreate"]["cart"]["discountCodes"] == [
        {"code": "ONCE", "applicable": True}
    ]
    assert again["data"]["cartDiscountCodesUpdate"]["userErrors"][0]["code"] == (
        "DISCOUNT_CODE_EXHAUSTED"
    )
    assert as_associate["data"]["promotions"] == {"nodes": [{"name": "Once each"}]}
    # codes are worth money: only those who manage promotions list them
    assert error_codes(associate_reads_codes) == ["FORBIDDEN"]
    listed = as_admin["data"]["promotions"]
    assert listed["totalCount"] == 1
    assert listed["nodes"][0]["codes"] == [{"code": "ONCE", "usageLimit": None, "timesUsed": 1}]
    assert error_codes(associate_creates) == ["FORBIDDEN"]
    assert error_codes(as_customer) == ["FORBIDDEN"]
