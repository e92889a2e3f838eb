from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.database import Database
from app.inventory.verify import verify_ledger
from app.models.location import LocationStatus
from app.models.staff import StaffRole
from tests.factories.auth import staff_token
from tests.factories.channels import create_location
from tests.factories.inventory import stock, variant_id
from tests.graphql import error_codes, gql
from tests.inventory.helpers import gid, level_of, movement_count, shop

RECEIVE = """
mutation Receive($input: InventoryReceiveInput!) {
  inventoryReceive(input: $input) {
    stockLevels { sku onHand available location { code } }
    userErrors { field code message }
  }
}
"""

ADJUST = """
mutation Adjust($input: InventoryAdjustInput!) {
  inventoryAdjust(input: $input) {
    stockLevel { sku onHand reserved available }
    userErrors { field code message }
  }
}
"""


async def test_receiving_adds_on_hand_and_writes_the_ledger(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings, role=StaffRole.OPERATIONS)
    # when
    body = await gql(
        client,
        RECEIVE,
        {
            "input": {
                "locationId": s.loc(s.warehouse),
                "reference": "PO-1",
                "lines": [{"sku": "TEE-0", "quantity": 10}, {"sku": "TEE-1", "quantity": 4}],
            }
        },
        token=token,
    )
    again = await gql(
        client,
        RECEIVE,
        {
            "input": {
                "locationId": s.loc(s.warehouse),
                "lines": [{"sku": "TEE-0", "quantity": 5}],
            }
        },
        token=token,
    )
    # then
    payload = body["data"]["inventoryReceive"]
    assert payload["userErrors"] == []
    assert payload["stockLevels"] == [
        {"sku": "TEE-0", "onHand": 10, "available": 10, "location": {"code": "wh"}},
        {"sku": "TEE-1", "onHand": 4, "available": 4, "location": {"code": "wh"}},
    ]
    assert again["data"]["inventoryReceive"]["stockLevels"][0]["onHand"] == 15
    assert await movement_count(db) == 3
    assert (await verify_ledger(db)).ok


async def test_adjusting_by_a_delta_needs_a_reason(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 10)
    token = await staff_token(db, settings)
    base = {"locationId": s.loc(s.downtown), "sku": "TEE-0", "delta": -3}
    # when
    refused = await gql(client, ADJUST, {"input": base}, token=token)
    done = await gql(client, ADJUST, {"input": {**base, "reason": "damaged"}}, token=token)
    # then
    assert refused["data"]["inventoryAdjust"]["userErrors"][0]["code"] == "REASON_REQUIRED"
    assert done["data"]["inventoryAdjust"]["stockLevel"]["onHand"] == 7
    assert (await verify_ledger(db)).ok


async def test_a_stock_count_sets_on_hand_and_records_the_difference(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 10)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        ADJUST,
        {
            "input": {
                "locationId": s.loc(s.downtown),
                "sku": "TEE-0",
                "quantity": 8,
                "expectedQuantity": 10,
            }
        },
        token=token,
    )
    # then
    assert body["data"]["inventoryAdjust"]["stockLevel"]["onHand"] == 8
    assert (await verify_ledger(db)).ok
    assert await movement_count(db) == 2


async def test_a_stale_stock_count_is_refused_instead_of_overwriting(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the counter saw 10, then a sale took one
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 9)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        ADJUST,
        {
            "input": {
                "locationId": s.loc(s.downtown),
                "sku": "TEE-0",
                "quantity": 10,
                "expectedQuantity": 10,
            }
        },
        token=token,
    )
    # then
    payload = body["data"]["inventoryAdjust"]
    assert payload["stockLevel"] is None
    assert payload["userErrors"][0]["code"] == "STALE_COUNT"
    assert payload["userErrors"][0]["field"] == ["expectedQuantity"]
    vid = await variant_id(db, "TEE-0")
    assert (await level_of(db, vid, s.downtown.id) or {})["on_hand"] == 9


async def test_on_hand_cannot_drop_below_what_is_reserved(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 5, reserved=3)
    token = await staff_token(db, settings)
    loc = s.loc(s.downtown)
    # when
    delta = await gql(
        client,
        ADJUST,
        {"input": {"locationId": loc, "sku": "TEE-0", "delta": -3, "reason": "theft"}},
        token=token,
    )
    counted = await gql(
        client, ADJUST, {"input": {"locationId": loc, "sku": "TEE-0", "quantity": 2}}, token=token
    )
    # then
    assert delta["data"]["inventoryAdjust"]["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert counted["data"]["inventoryAdjust"]["userErrors"][0]["code"] == "BELOW_RESERVED"
    vid = await variant_id(db, "TEE-0")
    assert await level_of(db, vid, s.downtown.id) == {
        "on_hand": 5,
        "reserved": 3,
        "incoming": 0,
        "safety_stock": 0,
    }


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"lines": [{"sku": "TEE-0", "quantity": 0}]}, "INVALID_QUANTITY", "lines.0.quantity"),
        ({"lines": [{"sku": "TEE-0", "quantity": -2}]}, "INVALID_QUANTITY", "lines.0.quantity"),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "UNKNOWN_SKU", "lines.0.sku"),
        ({"lines": []}, "REQUIRED", "lines"),
        (
            {"lines": [{"sku": "TEE-0", "quantity": 1}, {"sku": "TEE-0", "quantity": 1}]},
            "DUPLICATE_SKU",
            "lines.1.sku",
        ),
        ({"locationId": "TG9jYXRpb246OTk5OTk"}, "UNKNOWN_LOCATION", "locationId"),
        ({"locationId": "bad"}, "INVALID_ID", "locationId"),
    ],
)
async def test_bad_receipts_get_user_errors_and_write_nothing(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    change: dict[str, object],
    code: str,
    field: str,
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    good = {
        "locationId": s.loc(s.warehouse),
        "lines": [{"sku": "TEE-1", "quantity": 3}, {"sku": "TEE-0", "quantity": 3}],
    }
    # when
    body = await gql(client, RECEIVE, {"input": {**good, **change}}, token=token)
    # then
    payload = body["data"]["inventoryReceive"]
    assert [(e["code"], ".".join(e["field"])) for e in payload["userErrors"]] == [(code, field)]
    assert await movement_count(db) == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"delta": 0, "reason": "x"}, "INVALID_QUANTITY"),
        ({"quantity": -1}, "INVALID_QUANTITY"),
        ({"delta": 1, "quantity": 1}, "INVALID_ARGUMENTS"),
        ({}, "INVALID_ARGUMENTS"),
        ({"sku": "NOPE", "delta": 1, "reason": "x"}, "UNKNOWN_SKU"),
        ({"delta": -11, "reason": "x"}, "INSUFFICIENT_STOCK"),
    ],
)
async def test_bad_adjustments_get_user_errors_and_write_nothing(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    change: dict[str, object],
    code: str,
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 10)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        ADJUST,
        {"input": {"locationId": s.loc(s.downtown), "sku": "TEE-0", **change}},
        token=token,
    )
    # then
    assert [e["code"] for e in body["data"]["inventoryAdjust"]["userErrors"]] == [code]
    assert await movement_count(db) == 1


async def test_a_store_associate_changes_stock_only_at_their_own_store(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(
        db, settings, role=StaffRole.STORE_ASSOCIATE, home_location_id=s.downtown.id
    )
    line = [{"sku": "TEE-0", "quantity": 2}]
    # when
    home = await gql(
        client, RECEIVE, {"input": {"locationId": s.loc(s.downtown), "lines": line}}, token=token
    )
    away = await gql(
        client, RECEIVE, {"input": {"locationId": s.loc(s.plateau), "lines": line}}, token=token
    )
    # then
    assert home["data"]["inventoryReceive"]["userErrors"] == []
    assert away["data"]["inventoryReceive"]["userErrors"][0]["code"] == "LOCATION_FORBIDDEN"
    assert await movement_count(db) == 1


async def test_stock_mutations_need_a_staff_sign_in(
    client: httpx.AsyncClient, db: Database
) -> None:
    s = await shop(db)
    body = await gql(
        client,
        RECEIVE,
        {"input": {"locationId": s.loc(s.downtown), "lines": [{"sku": "TEE-0", "quantity": 1}]}},
    )
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await movement_count(db) == 0


async def test_safety_stock_lowers_what_is_available(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.downtown.id, 4)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        """
      mutation($input: InventorySafetyStockSetInput!) {
        inventorySafetyStockSet(input: $input) {
          stockLevel { onHand safetyStock available } userErrors { code }
        }
      }""",
        {"input": {"locationId": s.loc(s.downtown), "sku": "TEE-0", "quantity": 1}},
        token=token,
    )
    # then
    assert body["data"]["inventorySafetyStockSet"]["stockLevel"] == {
        "onHand": 4,
        "safetyStock": 1,
        "available": 3,
    }


async def test_stock_cannot_be_received_at_a_location_closed_for_good(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    await shop(db)
    gone = await create_location(db, code="gone", status=LocationStatus.CLOSED)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        RECEIVE,
        {
            "input": {
                "locationId": gid("Location", gone.id),
                "lines": [{"sku": "TEE-0", "quantity": 1}],
            }
        },
        token=token,
    )
    # then
    assert body["data"]["inventoryReceive"]["userErrors"][0]["code"] == "LOCATION_CLOSED"
    assert await movement_count(db) == 0
