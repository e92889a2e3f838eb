"""The Starlette application: /graphql (HTTP, WebSocket, GraphiQL), health and readiness.

This module and app/cli.py are the composition roots: the only app modules that import the
GraphQL layer.
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from app.auth.partners import viewer_for_api_key
from app.auth.service import viewer_for_token
from app.auth.viewer import ANONYMOUS, Viewer
from app.config import Settings, get_settings
from app.database import Database, RequestReadsMiddleware
from app.events.broker import create_broker
from app.explorer.page import STATIC_DIR, STATIC_PATH, render_page
from app.migrate import current_heads, script_heads
from schema.context import Context
from schema.schema import schema as graphql_schema

log = logging.getLogger("omnigraph.server")

REQUEST_ID_HEADER = "x-request-id"
GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
JSON_MEDIA_TYPE = "application/json"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
CHANNEL_HEADER = "x-channel"
API_KEY_HEADER = "x-api-key"


def _bearer(headers: Any) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class OmnigraphGraphQL(GraphQL[Context, None]):
    def __init__(self, db: Database, settings: Settings, **kwargs: Any) -> None:
        super().__init__(graphql_schema, **kwargs)
        self.db = db
        self.settings = settings

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        headers = request.headers
        viewer = await self.viewer_for(headers)
        request_id = request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex
        return Context(
            db=self.db,
            settings=self.settings,
            viewer=viewer,
            request_id=request_id,
            request=request,
            channel_code=headers.get(CHANNEL_HEADER) or None,
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        # The explorer's files ship with the package: the page works with no network.
        return HTMLResponse(render_page(request.url.path))

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        accept = request.headers.get("accept", "")
        # Remembered for create_response, which does not see the request.
        sub_response.media_type = (
            GRAPHQL_RESPONSE_MEDIA_TYPE
            if GRAPHQL_RESPONSE_MEDIA_TYPE in accept
            else JSON_MEDIA_TYPE
        )
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON_MEDIA_TYPE
        response.headers["content-type"] = media_type
        # With the GraphQL response media type, a document that never executed (it failed to
        # parse or validate) is a client error; plain JSON clients keep getting 200.
        if (
            media_type == GRAPHQL_RESPONSE_MEDIA_TYPE
            and isinstance(response_data, dict)
            and response_data.get("data") is None
            and any(
                (e.get("extensions") or {}).get("code") in (PARSE_FAILED, VALIDATION_FAILED)
                for e in cast(list[dict[str, Any]], response_data.get("errors") or [])
            )
        ):
            response.status_code = 400
        return response

    async def viewer_for(self, headers: Any) -> Viewer:
        """Bearer tokens stand for staff and customers; partners send their key in X-Api-Key.
        Unknown, expired or revoked credentials make an anonymous viewer."""
        token = _bearer(headers)
        if token is not None:
            return await viewer_for_token(self.db, token) or ANONYMOUS
        key = (headers.get(API_KEY_HEADER) or "").strip()
        if key:
            return await viewer_for_api_key(self.db, key) or ANONYMOUS
        return ANONYMOUS


class RequestIdMiddleware:
    """Gives every request an id (the caller's, if sane) and echoes it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.encode(), b"").decode()
        request_id = given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (REQUEST_ID_HEADER.encode(), request_id.encode())
                )
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_app(settings: Settings | None = None, db: Database | None = None) -> Starlette:
    settings = settings or get_settings()
    database = db or Database.from_url(
        settings.database_url, pool_size=settings.database_pool_size, echo=settings.sql_echo
    )
    graphql = OmnigraphGraphQL(
        database,
        settings,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL],
    )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            async with database.read() as conn:
                await conn.execute(text("SELECT 1"))
            current = await current_heads(database.engine)
        except Exception:
            log.exception("readiness check failed")
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        expected = script_heads()
        if current != expected:
            return JSONResponse(
                {"status": "unavailable", "database": "ok", "migrations": "pending"}, 503
            )
        return JSONResponse({"status": "ok", "database": "ok", "migrations": "current"})

    # One broker per process: every request and subscription of this instance shares it.
    broker = create_broker(settings.redis_url, settings.events_prefix)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # What start-up built (modules, the schema, caches) lives as long as the process:
        # frozen, it is left out of every collection, which then scans what requests made.
        gc.freeze()
        yield
        await broker.close()
        if db is None:
            await database.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="explorer-static"),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(RequestReadsMiddleware, db=database)
    app.add_middleware(RequestIdMiddleware)
    app.state.db = database
    app.state.broker = broker
    app.state.graphql = graphql
    return app
