"""Subscriptions keep their viewer's permissions: credentials in connection_init, and a
revoked token ends the subscription."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.database import Database
from app.server import create_app
from tests.factories.auth import staff_token
from tests.graphql import gql
from tests.inventory.helpers import shop
from tests.inventory.ws import GraphQLWebSocket, wait_for_subscribers

SUBSCRIPTION = "subscription { inventoryChanged { sku onHand } }"
ADJUST = """
mutation($input: InventoryAdjustInput!) { inventoryAdjust(input: $input) { userErrors { code } } }
"""


async def test_a_revoked_token_ends_its_subscription(db: Database, settings: Settings) -> None:
    # given a staff member subscribed with their token in connection_init, re-checked always
    settings.subscription_recheck_seconds = 0
    s = await shop(db)
    subscriber = await staff_token(db, settings, email="watcher@example.com")
    writer = await staff_token(db, settings, email="writer@example.com")
    application = create_app(settings, db)
    transport = httpx.ASGITransport(app=application)
    adjust = {"input": {"locationId": s.loc(s.downtown), "sku": "TEE-0", "delta": 1,
                        "reason": "found"}}  # fmt: skip
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://test") as http,
            GraphQLWebSocket(
                application, init_payload={"Authorization": f"Bearer {subscriber}"}
            ) as ws,
        ):
            await ws.subscribe(SUBSCRIPTION, {})
            await wait_for_subscribers(application)
            await gql(http, ADJUST, adjust, token=writer)
            before = await ws.receive()
            # when the subscriber signs out
            await gql(http, "mutation { staffLogout { signedOut } }", token=subscriber)
            await gql(http, ADJUST, adjust, token=writer)
            after = await ws.receive()
    finally:
        await application.state.broker.close()
    # then
    assert before["payload"]["data"]["inventoryChanged"]["onHand"] == 1
    assert after["type"] in ("next", "error")
    errors = after["payload"]["errors"] if after["type"] == "next" else after["payload"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_unknown_credentials_in_connection_init_are_refused(
    db: Database, settings: Settings
) -> None:
    # given
    application = create_app(settings, db)
    socket = GraphQLWebSocket(application, init_payload={"x-api-key": "ogp_unknown"})
    # when the handshake is refused, the helper sees a close instead of connection_ack
    try:
        with pytest.raises(AssertionError, match="4403"):
            await socket.__aenter__()
        await socket.__aexit__(None, None, None)
    finally:
        await application.state.broker.close()
