from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config import Settings
from app.database import Database
from app.inventory.verify import verify_ledger
from app.models.staff import StaffRole
from tests.factories.auth import staff_token
from tests.factories.inventory import stock, variant_id
from tests.graphql import gql
from tests.inventory.helpers import Shop, level_of, movement_count, shop

CREATE = """
mutation Create($input: InventoryTransferCreateInput!) {
  inventoryTransferCreate(input: $input) {
    transfer { id status fromLocation { code } toLocation { code }
               lines { sku quantitySent quantityReceived } }
    userErrors { field code message }
  }
}
"""

RECEIVE = """
mutation Receive($input: InventoryTransferReceiveInput!) {
  inventoryTransferReceive(input: $input) {
    transfer { status receivedAt lines { sku quantitySent quantityReceived } }
    userErrors { field code message }
  }
}
"""


def _create_input(s: Shop, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "fromLocationId": s.loc(s.warehouse),
            "toLocationId": s.loc(s.downtown),
            "lines": lines,
            **extra,
        }
    }


async def test_a_transfer_takes_stock_out_of_the_source_into_incoming_at_the_destination(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client, CREATE, _create_input(s, [{"sku": "TEE-0", "quantity": 4}]), token=token
    )
    # then
    payload = body["data"]["inventoryTransferCreate"]
    assert payload["userErrors"] == []
    assert payload["transfer"]["status"] == "IN_TRANSIT"
    assert payload["transfer"]["lines"] == [
        {"sku": "TEE-0", "quantitySent": 4, "quantityReceived": 0}
    ]
    vid = await variant_id(db, "TEE-0")
    assert (await level_of(db, vid, s.warehouse.id) or {})["on_hand"] == 6
    assert await level_of(db, vid, s.downtown.id) == {
        "on_hand": 0,
        "reserved": 0,
        "incoming": 4,
        "safety_stock": 0,
    }
    assert (await verify_ledger(db)).ok


async def test_receiving_a_transfer_in_parts_moves_incoming_to_on_hand(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    await stock(db, "TEE-1", s.warehouse.id, 10)
    token = await staff_token(db, settings)
    lines = [{"sku": "TEE-0", "quantity": 4}, {"sku": "TEE-1", "quantity": 2}]
    created = await gql(client, CREATE, _create_input(s, lines), token=token)
    transfer_id = created["data"]["inventoryTransferCreate"]["transfer"]["id"]
    # when
    part = await gql(
        client,
        RECEIVE,
        {"input": {"transferId": transfer_id, "lines": [{"sku": "TEE-0", "quantity": 3}]}},
        token=token,
    )
    rest = await gql(client, RECEIVE, {"input": {"transferId": transfer_id}}, token=token)
    # then
    assert part["data"]["inventoryTransferReceive"]["transfer"]["status"] == "PARTIALLY_RECEIVED"
    done = rest["data"]["inventoryTransferReceive"]["transfer"]
    assert done["status"] == "RECEIVED"
    assert done["receivedAt"] is not None
    assert [line["quantityReceived"] for line in done["lines"]] == [4, 2]
    vid = await variant_id(db, "TEE-0")
    assert await level_of(db, vid, s.downtown.id) == {
        "on_hand": 4,
        "reserved": 0,
        "incoming": 0,
        "safety_stock": 0,
    }
    assert (await verify_ledger(db)).ok


async def test_receiving_more_than_was_sent_is_refused(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    token = await staff_token(db, settings)
    created = await gql(
        client, CREATE, _create_input(s, [{"sku": "TEE-0", "quantity": 4}]), token=token
    )
    transfer_id = created["data"]["inventoryTransferCreate"]["transfer"]["id"]
    before = await movement_count(db)
    # when
    over = await gql(
        client,
        RECEIVE,
        {"input": {"transferId": transfer_id, "lines": [{"sku": "TEE-0", "quantity": 5}]}},
        token=token,
    )
    stranger = await gql(
        client,
        RECEIVE,
        {"input": {"transferId": transfer_id, "lines": [{"sku": "TEE-1", "quantity": 1}]}},
        token=token,
    )
    await gql(client, RECEIVE, {"input": {"transferId": transfer_id}}, token=token)
    closed = await gql(client, RECEIVE, {"input": {"transferId": transfer_id}}, token=token)
    # then
    assert over["data"]["inventoryTransferReceive"]["userErrors"][0]["code"] == "OVER_RECEIPT"
    assert stranger["data"]["inventoryTransferReceive"]["userErrors"][0]["code"] == (
        "NOT_ON_TRANSFER"
    )
    assert closed["data"]["inventoryTransferReceive"]["userErrors"][0]["code"] == (
        "TRANSFER_CLOSED"
    )
    assert await movement_count(db) == before + 1


@pytest.mark.parametrize(
    ("lines", "same_location", "code"),
    [
        ([{"sku": "TEE-0", "quantity": 11}], False, "INSUFFICIENT_STOCK"),
        ([{"sku": "TEE-0", "quantity": 0}], False, "INVALID_QUANTITY"),
        ([{"sku": "NOPE", "quantity": 1}], False, "UNKNOWN_SKU"),
        ([{"sku": "TEE-0", "quantity": 1}], True, "SAME_LOCATION"),
        # The first line would fit; the second does not, so neither moves.
        (
            [{"sku": "TEE-0", "quantity": 2}, {"sku": "TEE-1", "quantity": 1}],
            False,
            "INSUFFICIENT_STOCK",
        ),
    ],
)
async def test_bad_transfers_get_user_errors_and_write_nothing(
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
    lines: list[dict[str, Any]],
    same_location: bool,
    code: str,
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    token = await staff_token(db, settings)
    variables = _create_input(s, lines)
    if same_location:
        variables["input"]["toLocationId"] = s.loc(s.warehouse)
    # when
    body = await gql(client, CREATE, variables, token=token)
    # then
    payload = body["data"]["inventoryTransferCreate"]
    assert payload["transfer"] is None
    assert [e["code"] for e in payload["userErrors"]] == [code]
    assert await movement_count(db) == 1
    vid = await variant_id(db, "TEE-0")
    assert (await level_of(db, vid, s.warehouse.id) or {})["on_hand"] == 10


async def test_reserved_units_cannot_be_transferred(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 5, reserved=3)
    token = await staff_token(db, settings)
    body = await gql(
        client, CREATE, _create_input(s, [{"sku": "TEE-0", "quantity": 3}]), token=token
    )
    assert body["data"]["inventoryTransferCreate"]["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"


async def test_a_store_associate_ships_from_and_receives_at_their_own_store_only(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    admin = await staff_token(db, settings)
    plateau_associate = await staff_token(
        db,
        settings,
        role=StaffRole.STORE_ASSOCIATE,
        home_location_id=s.plateau.id,
        email="plateau@example.com",
    )
    downtown_associate = await staff_token(
        db,
        settings,
        role=StaffRole.STORE_ASSOCIATE,
        home_location_id=s.downtown.id,
        email="downtown@example.com",
    )
    line = [{"sku": "TEE-0", "quantity": 2}]
    # when
    from_warehouse = await gql(client, CREATE, _create_input(s, line), token=plateau_associate)
    created = await gql(client, CREATE, _create_input(s, line), token=admin)
    transfer_id = created["data"]["inventoryTransferCreate"]["transfer"]["id"]
    wrong_store = await gql(
        client, RECEIVE, {"input": {"transferId": transfer_id}}, token=plateau_associate
    )
    right_store = await gql(
        client, RECEIVE, {"input": {"transferId": transfer_id}}, token=downtown_associate
    )
    # then
    assert from_warehouse["data"]["inventoryTransferCreate"]["userErrors"][0]["code"] == (
        "LOCATION_FORBIDDEN"
    )
    assert wrong_store["data"]["inventoryTransferReceive"]["userErrors"][0]["code"] == (
        "LOCATION_FORBIDDEN"
    )
    assert right_store["data"]["inventoryTransferReceive"]["transfer"]["status"] == "RECEIVED"


async def test_a_transfer_is_a_node_for_staff(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    s = await shop(db)
    await stock(db, "TEE-0", s.warehouse.id, 10)
    token = await staff_token(db, settings)
    created = await gql(
        client, CREATE, _create_input(s, [{"sku": "TEE-0", "quantity": 1}]), token=token
    )
    transfer_id = created["data"]["inventoryTransferCreate"]["transfer"]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on InventoryTransfer { status } } }"
    as_staff = await gql(client, query, {"id": transfer_id}, token=token)
    anonymous = await gql(client, query, {"id": transfer_id})
    assert as_staff["data"]["node"] == {"status": "IN_TRANSIT"}
    assert anonymous["data"]["node"] is None
