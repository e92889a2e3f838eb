from __future__ import annotations

from typing import Any

import pytest

from app.config import Settings
from app.database import Database
from app.server import create_app
from tests.inventory.ws import GraphQLWebSocket

CHANGES = "subscription { inventoryChanged { sku available } }"


async def test_unexpected_subscription_failures_are_masked(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a broker that fails in a way nobody planned for
    application = create_app(settings, db)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("redis password=hunter2")

    monkeypatch.setattr(application.state.broker, "subscribe", broken)
    # when
    async with GraphQLWebSocket(application) as ws:
        await ws.subscribe(CHANGES, {})
        message = await ws.receive()
    # then the subscriber sees a code and no internals
    error = message["payload"]["errors"][0] if message["type"] == "next" else message["payload"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in str(message)


async def test_subscription_documents_that_do_not_validate_get_a_code(
    db: Database, settings: Settings
) -> None:
    application = create_app(settings, db)
    async with GraphQLWebSocket(application) as ws:
        await ws.subscribe("subscription { inventoryChanged { nothing } }", {})
        message = await ws.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
