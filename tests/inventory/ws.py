"""A graphql-transport-ws client that talks to the ASGI app in the test's own event loop."""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import Any

from starlette.types import ASGIApp, Message

from app.inventory.events import TOPIC


class GraphQLWebSocket:
    def __init__(
        self,
        app: ASGIApp,
        headers: dict[str, str] | None = None,
        init_payload: dict[str, Any] | None = None,
    ) -> None:
        self._app = app
        self._init_payload = init_payload or {}
        self._headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> GraphQLWebSocket:
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"test"),
                *self._headers,
                (b"sec-websocket-protocol", b"graphql-transport-ws"),
            ],
            "subprotocols": ["graphql-transport-ws"],
            "client": ("127.0.0.1", 5000),
            "server": ("test", 80),
            "state": {},
        }
        self._task = asyncio.create_task(self._app(scope, self._to_app.get, self._from_app.put))
        await self._to_app.put({"type": "websocket.connect"})
        accepted = await self._raw()
        assert accepted["type"] == "websocket.accept", accepted
        await self.send({"type": "connection_init", "payload": self._init_payload})
        assert (await self.receive())["type"] == "connection_ack"
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._to_app.put({"type": "websocket.disconnect", "code": 1000})
        assert self._task is not None
        await asyncio.wait_for(self._task, 5)

    async def _raw(self) -> Message:
        return await asyncio.wait_for(self._from_app.get(), 5)

    async def send(self, message: dict[str, Any]) -> None:
        await self._to_app.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def receive(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self._from_app.get(), 5)
        assert raw["type"] == "websocket.send", raw
        decoded: dict[str, Any] = json.loads(raw["text"])
        return decoded

    async def subscribe(self, query: str, variables: dict[str, Any], op_id: str = "1") -> None:
        await self.send(
            {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )


async def wait_for_subscribers(app: Any, count: int = 1) -> None:
    """Until the app's broker has `count` subscribers on the inventory topic."""
    for _ in range(200):
        broker = getattr(app.state, "broker", None)
        if broker is not None and await broker.subscriber_count(TOPIC) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the subscription never reached the broker")
