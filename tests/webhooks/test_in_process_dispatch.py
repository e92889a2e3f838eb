"""A live server with the in-process dispatcher delivers without any other process."""

from __future__ import annotations

import asyncio

import httpx

from app.config import Settings
from app.database import Database
from schema.relay import to_global_id
from tests.factories.auth import staff_token
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel, create_location
from tests.live import live_server
from tests.webhooks.receiver import receiver
from tests.webhooks.test_webhooks import ADJUST, SUBSCRIBE


async def test_the_api_process_delivers_webhooks_when_enabled(
    db: Database, database_url: str, settings: Settings
) -> None:
    # given
    await create_channel(db, code="web")
    await create_product(db, handle="trail-runner", variants=1)
    location = to_global_id("Location", (await create_location(db, code="wh-1")).id)
    token = await staff_token(db, settings)
    headers = {"Authorization": f"Bearer {token}"}
    async with receiver() as endpoint:
        with live_server(database_url, webhooks_in_process="true",
                         webhook_poll_seconds="0.1") as url:  # fmt: skip
            async with httpx.AsyncClient() as http:
                await http.post(url, headers=headers, json={"query": SUBSCRIBE, "variables": {
                    "url": endpoint.url, "events": ["inventory.changed"]}})  # fmt: skip
                # when
                await http.post(url, headers=headers, json={"query": ADJUST, "variables": {
                    "location": location, "delta": 3}})  # fmt: skip
                for _ in range(100):
                    if endpoint.received:
                        break
                    await asyncio.sleep(0.1)
    # then
    assert [r.json["data"]["on_hand"] for r in endpoint.received] == [3]
