from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from app.config import Settings
from app.database import Database
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.inventory import set_pool, stock
from tests.graphql import error_codes, gql
from tests.inventory.helpers import gid, shop

MOVEMENTS = """
query($variantId: ID, $sku: String, $locationId: ID, $first: Int, $after: String) {
  inventoryMovements(variantId: $variantId, sku: $sku, locationId: $locationId,
                     first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { sku kind quantity onHandAfter reason actorId location { code } }
  }
}
"""

ADJUST = """
mutation($input: InventoryAdjustInput!) { inventoryAdjust(input: $input) { userErrors { code } } }
"""


async def test_movements_of_a_variant_come_newest_first_and_page(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    await stock(db, "TEE-0", s.downtown.id, 10)
    await stock(db, "TEE-1", s.downtown.id, 1)
    for delta, reason in ((-1, "damaged"), (2, "found")):
        await gql(
            client,
            ADJUST,
            {
                "input": {
                    "locationId": s.loc(s.downtown),
                    "sku": "TEE-0",
                    "delta": delta,
                    "reason": reason,
                }
            },
            token=token,
        )
    # when
    first = await gql(client, MOVEMENTS, {"sku": "TEE-0", "first": 2}, token=token)
    after = first["data"]["inventoryMovements"]["pageInfo"]["endCursor"]
    rest = await gql(client, MOVEMENTS, {"sku": "TEE-0", "first": 2, "after": after}, token=token)
    # then
    page = first["data"]["inventoryMovements"]
    assert page["totalCount"] == 3
    assert [(n["kind"], n["quantity"], n["onHandAfter"], n["reason"]) for n in page["nodes"]] == [
        ("ADJUSTMENT", 2, 11, "found"),
        ("ADJUSTMENT", -1, 9, "damaged"),
    ]
    assert page["nodes"][0]["actorId"] is not None
    assert [n["kind"] for n in rest["data"]["inventoryMovements"]["nodes"]] == ["RECEIPT"]


async def test_movements_of_a_location_include_every_variant(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    s = await shop(db)
    token = await staff_token(db, settings)
    await stock(db, "TEE-0", s.downtown.id, 1)
    await stock(db, "TEE-1", s.downtown.id, 2)
    await stock(db, "TEE-1", s.plateau.id, 3)
    body = await gql(client, MOVEMENTS, {"locationId": s.loc(s.downtown)}, token=token)
    assert [n["sku"] for n in body["data"]["inventoryMovements"]["nodes"]] == ["TEE-1", "TEE-0"]


async def test_movements_need_a_filter_and_staff(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    await shop(db)
    token = await staff_token(db, settings)
    assert error_codes(await gql(client, MOVEMENTS, {}, token=token)) == ["INVALID_ARGUMENTS"]
    assert error_codes(await gql(client, MOVEMENTS, {"sku": "TEE-0"})) == ["UNAUTHENTICATED"]


FEED = """
query($channel: String!, $since: DateTime, $first: Int, $after: String) {
  inventoryLevels(channel: $channel, updatedSince: $since, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku available onHand reserved updatedAt }
  }
}
"""


async def test_inventory_levels_feed_lists_channel_availability_per_sku(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: the marketplace sells warehouse stock only, keeping one unit back
    s = await shop(db, skus=3)
    await set_pool(db, s.web_id, [s.warehouse.id], buffer=1)
    await create_product(db, handle="unpublished", variants=1)
    await stock(db, "TEE-0", s.warehouse.id, 5, reserved=1)
    await stock(db, "TEE-1", s.warehouse.id, 1)
    await stock(db, "TEE-2", s.downtown.id, 8)
    await stock(db, "UNPUBLISHED-0", s.warehouse.id, 8)
    token = await staff_token(db, settings)
    # when
    first = await gql(client, FEED, {"channel": "web", "first": 1}, token=token)
    after = first["data"]["inventoryLevels"]["pageInfo"]["endCursor"]
    second = await gql(client, FEED, {"channel": "web", "first": 5, "after": after}, token=token)
    # then
    assert [
        (n["sku"], n["available"], n["onHand"], n["reserved"])
        for n in first["data"]["inventoryLevels"]["nodes"]
    ] == [("TEE-0", 3, 5, 1)]
    assert first["data"]["inventoryLevels"]["pageInfo"]["hasNextPage"] is True
    # SKUs without stock in the pool are listed at zero.
    assert [(n["sku"], n["available"]) for n in second["data"]["inventoryLevels"]["nodes"]] == [
        ("TEE-1", 0),
        ("TEE-2", 0),
    ]


async def test_inventory_levels_feed_returns_only_changes_since_a_time(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    await set_pool(db, s.web_id, [s.warehouse.id])
    await stock(db, "TEE-0", s.warehouse.id, 5)
    checkpoint = datetime.now(UTC)
    await stock(db, "TEE-1", s.warehouse.id, 5)
    token = await staff_token(db, settings)
    # when
    since = await gql(
        client, FEED, {"channel": "web", "since": checkpoint.isoformat()}, token=token
    )
    future = (checkpoint + timedelta(hours=1)).isoformat()
    nothing = await gql(client, FEED, {"channel": "web", "since": future}, token=token)
    # then
    assert [n["sku"] for n in since["data"]["inventoryLevels"]["nodes"]] == ["TEE-1"]
    assert nothing["data"]["inventoryLevels"]["nodes"] == []


async def test_inventory_levels_feed_is_not_public(client: httpx.AsyncClient, db: Database) -> None:
    await shop(db)
    assert error_codes(await gql(client, FEED, {"channel": "web"})) == ["UNAUTHENTICATED"]


POOL_SET = """
mutation($channel: String!, $ids: [ID!]!, $buffer: Int!) {
  channelStockPoolSet(channel: $channel, locationIds: $ids, buffer: $buffer) {
    stockPool { channel buffer locations { code } }
    userErrors { field code }
  }
}
"""


async def test_administrators_set_a_channels_stock_pool(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    # when
    body = await gql(
        client,
        POOL_SET,
        {"channel": "web", "buffer": 2, "ids": [s.loc(s.warehouse), s.loc(s.downtown)]},
        token=token,
    )
    bad = await gql(client, POOL_SET, {"channel": "web", "buffer": -1, "ids": []}, token=token)
    unknown = await gql(
        client,
        POOL_SET,
        {"channel": "web", "buffer": 0, "ids": [gid("Location", 999)]},
        token=token,
    )
    read = await gql(
        client, '{ stockPool(channel: "web") { buffer locations { code } } }', token=token
    )
    # then
    pool = body["data"]["channelStockPoolSet"]["stockPool"]
    assert pool["buffer"] == 2
    assert {loc["code"] for loc in pool["locations"]} == {"wh", "downtown"}
    assert bad["data"]["channelStockPoolSet"]["userErrors"][0]["code"] == "INVALID_QUANTITY"
    assert unknown["data"]["channelStockPoolSet"]["userErrors"][0]["code"] == "UNKNOWN_LOCATION"
    assert read["data"]["stockPool"]["buffer"] == 2


async def test_a_movement_is_a_node_for_staff_only(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    s = await shop(db)
    token = await staff_token(db, settings)
    await stock(db, "TEE-0", s.downtown.id, 4)
    listed = await gql(client, '{ inventoryMovements(sku: "TEE-0") { nodes { id } } }', token=token)
    movement_id = listed["data"]["inventoryMovements"]["nodes"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on InventoryMovement { kind quantity } } }"
    # when
    as_staff = await gql(client, query, {"id": movement_id}, token=token)
    anonymous = await gql(client, query, {"id": movement_id})
    # then
    assert as_staff["data"]["node"] == {"kind": "RECEIPT", "quantity": 4}
    assert anonymous["data"]["node"] is None
