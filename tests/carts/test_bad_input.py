"""Bad input gets a coded userError and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.database import Database
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine
from app.models.pricing import PromotionKind, PromotionTrigger
from schema.relay import to_global_id
from tests.carts.documents import ADD, CART, CODES, CREATE, DELIVERY, UPDATE, line
from tests.factories.carts import promotion, world
from tests.factories.channels import create_location
from tests.graphql import gql


async def _counts(db: Database) -> tuple[int, int]:
    async with db.read() as conn:
        carts = (await conn.execute(select(func.count()).select_from(Cart))).scalar_one()
        lines = (await conn.execute(select(func.count()).select_from(CartLine))).scalar_one()
    return carts, lines


async def _codes_setup(db: Database) -> None:
    await promotion(
        db,
        name="Ten",
        trigger=PromotionTrigger.CODE,
        codes=["TEN"],
        kind=PromotionKind.FIXED_AMOUNT,
        amounts={"CAD": 1000},
    )
    await promotion(
        db,
        name="Gone",
        trigger=PromotionTrigger.CODE,
        codes=["GONE"],
        ends_at=utcnow() - timedelta(days=1),
    )
    await promotion(
        db, name="Used", trigger=PromotionTrigger.CODE, codes=["USED"], code_usage_limit=0
    )
    await promotion(db, name="Auto", percentage_bp=500)


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        (
            {"lines": [{"merchandiseId": to_global_id("ProductVariant", 99999)}]},
            "UNKNOWN_VARIANT",
            ["lines", "0", "merchandiseId"],
        ),
        (
            {"lines": [{"merchandiseId": "not-an-id"}]},
            "INVALID_ID",
            ["lines", "0", "merchandiseId"],
        ),
        ({"lines": "QTY0"}, "INVALID_QUANTITY", ["lines", "0", "quantity"]),
        ({"lines": "QTY101"}, "QUANTITY_LIMIT_EXCEEDED", ["lines", "0", "quantity"]),
        ({"lines": "500"}, "TOO_MANY_LINES", ["lines"]),
        ({"currencyCode": "USD"}, "UNSUPPORTED_CURRENCY", ["currencyCode"]),
        ({"buyerIdentity": {"email": "nobody"}}, "INVALID_EMAIL", ["buyerIdentity", "email"]),
        (
            {"buyerIdentity": {"countryCode": "CAN"}},
            "INVALID_COUNTRY",
            ["buyerIdentity", "countryCode"],
        ),
        ({"channel": "nowhere"}, "UNKNOWN_CHANNEL", ["channel"]),
        ({"discountCodes": ["nope"]}, "UNKNOWN_DISCOUNT_CODE", ["discountCodes", "0"]),
        ({"discountCodes": ["ten", "gone"]}, "DISCOUNT_CODE_EXPIRED", ["discountCodes", "1"]),
        ({"discountCodes": ["used"]}, "DISCOUNT_CODE_EXHAUSTED", ["discountCodes", "0"]),
        ({"discountCodes": ["auto"]}, "UNKNOWN_DISCOUNT_CODE", ["discountCodes", "0"]),
    ],
)
async def test_cart_create_refuses_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, given: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    w = await world(db, stock_units=0)
    await _codes_setup(db)
    data: dict[str, Any] = {"channel": "web", "lines": [line(w.variant("TEE-0"))], **given}
    if data["lines"] == "QTY0":
        data["lines"] = [line(w.variant("TEE-0"), 0)]
    elif data["lines"] == "QTY101":
        data["lines"] = [line(w.variant("TEE-0"), 101)]
    elif data["lines"] == "500":
        data["lines"] = [line(w.variant("TEE-0"))] * 500
    # when
    body = await gql(client, CREATE, {"input": data})
    # then
    payload = body["data"]["cartCreate"]
    assert payload["cart"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await _counts(db) == (0, 0)


async def test_changes_to_an_existing_cart_are_all_or_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    await _codes_setup(db)
    closed = await create_location(db, code="no-pickup", pickup=False)
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "channel": "web",
                "lines": [line(w.variant("TEE-0"), 98)],
                "discountCodes": ["TEN"],
            }
        },
    )
    cart = created["data"]["cartCreate"]["cart"]
    before = (await gql(client, CART, {"id": cart["id"]}))["data"]["cart"]
    unknown = to_global_id("ProductVariant", 424242)
    # when
    answers = [
        await gql(
            client, ADD, {"id": cart["id"], "lines": [line(w.variant("MUG-0")), line(unknown)]}
        ),
        await gql(client, ADD, {"id": cart["id"], "lines": [line(w.variant("TEE-0"), 3)]}),
        await gql(
            client,
            UPDATE,
            {"id": cart["id"], "lines": [{"id": cart["lines"][0]["id"], "quantity": -1}]},
        ),
        await gql(
            client,
            UPDATE,
            {"id": cart["id"], "lines": [{"id": to_global_id("CartLine", 999), "quantity": 1}]},
        ),
        await gql(client, CODES, {"id": cart["id"], "codes": ["USED"]}),
        await gql(
            client,
            DELIVERY,
            {
                "id": cart["id"],
                "input": {"method": "PICKUP", "pickupLocationId": w.location(closed)},
            },
        ),
        await gql(client, DELIVERY, {"id": cart["id"], "input": {"method": "SHIPPING"}}),
        await gql(client, ADD, {"id": "crt_someone-elses", "lines": [line(w.variant("MUG-0"))]}),
    ]
    # then
    codes = [next(iter(a["data"].values()))["userErrors"][0]["code"] for a in answers]
    assert codes == [
        "UNKNOWN_VARIANT",
        "QUANTITY_LIMIT_EXCEEDED",
        "INVALID_QUANTITY",
        "LINE_NOT_FOUND",
        "DISCOUNT_CODE_EXHAUSTED",
        "PICKUP_NOT_AVAILABLE",
        "INVALID_ADDRESS",
        "NOT_FOUND",
    ]
    after = (await gql(client, CART, {"id": cart["id"]}))["data"]["cart"]
    assert after == before


async def test_delivery_by_pickup_or_shipping_sets_tax_and_shipping(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    w = await world(db)
    created = await gql(
        client, CREATE, {"input": {"channel": "web", "lines": [line(w.variant("TEE-0"), 2)]}}
    )
    cart_id = created["data"]["cartCreate"]["cart"]["id"]
    # when
    shipped = await gql(
        client,
        DELIVERY,
        {
            "id": cart_id,
            "input": {
                "method": "SHIPPING",
                "address": {
                    "line1": "1 King St W",
                    "city": "Toronto",
                    "region": "on",
                    "countryCode": "ca",
                    "latitude": 43.65,
                    "longitude": -79.38,
                },
            },
        },
    )
    picked = await gql(
        client,
        DELIVERY,
        {"id": cart_id, "input": {"method": "PICKUP", "pickupLocationId": w.location(w.store)}},
    )
    # then
    ship_cost = shipped["data"]["cartDeliveryMethodUpdate"]["cart"]["cost"]
    pick_cart = picked["data"]["cartDeliveryMethodUpdate"]["cart"]
    # Ontario 13 % on 40.00 + 15.00 shipping
    assert (
        ship_cost["shipping"]["amount"],
        ship_cost["tax"]["amount"],
        ship_cost["total"]["amount"],
    ) == ("15.00", "7.15", "62.15")
    assert pick_cart["delivery"]["method"] == "PICKUP"
    # Québec 14.975 % on 40.00, no shipping
    assert (pick_cart["cost"]["shipping"]["amount"], pick_cart["cost"]["tax"]["amount"]) == (
        "0.00",
        "5.99",
    )
