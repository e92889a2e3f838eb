from __future__ import annotations

from datetime import UTC, datetime

import httpx

from app.config import Settings
from app.database import Database
from tests.factories.auth import staff_token
from tests.factories.inventory import set_pool, stock
from tests.graphql import gql
from tests.inventory.helpers import shop

FEED = """query($since: DateTime) { inventoryLevels(channel: "web", updatedSince: $since) {
  nodes { sku available } } }"""
POOL_SET = """mutation($ids: [ID!]!, $buffer: Int!) {
  channelStockPoolSet(channel: "web", locationIds: $ids, buffer: $buffer) {
    userErrors { code } } }"""


async def test_a_delta_after_a_pool_change_lists_every_sku_again(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given a partner synced TEE-0 at 5 available, and TEE-1 at 0
    s = await shop(db, skus=2)
    await set_pool(db, s.web_id, [s.warehouse.id])
    await stock(db, "TEE-0", s.warehouse.id, 5)
    token = await staff_token(db, settings)
    full = await gql(client, FEED, {}, token=token)
    assert {n["sku"]: n["available"] for n in full["data"]["inventoryLevels"]["nodes"]} == {
        "TEE-0": 5, "TEE-1": 0,
    }  # fmt: skip
    checkpoint = datetime.now(UTC).isoformat()
    unchanged = await gql(client, FEED, {"since": checkpoint}, token=token)
    assert unchanged["data"]["inventoryLevels"]["nodes"] == []
    # when the channel starts holding 4 units back
    done = await gql(client, POOL_SET, {"ids": [s.loc(s.warehouse)], "buffer": 4}, token=token)
    assert done["data"]["channelStockPoolSet"]["userErrors"] == []
    # then the delta since the checkpoint carries the new availability
    delta = await gql(client, FEED, {"since": checkpoint}, token=token)
    assert {n["sku"]: n["available"] for n in delta["data"]["inventoryLevels"]["nodes"]} == {
        "TEE-0": 1, "TEE-1": 0,
    }  # fmt: skip
