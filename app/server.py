"""The Starlette application: /graphql (HTTP, WebSocket, GraphiQL), health and readiness.

This module and app/cli.py are the composition roots: the only app modules that import the
GraphQL layer.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from app.config import Settings, get_settings
from app.database import Database, RequestReadsMiddleware
from app.events.broker import create_broker
from app.explorer.page import STATIC_DIR, STATIC_PATH
from app.http.limits import BodySizeLimit
from app.http.logs import configure_logging
from app.http.metrics import DELIVERIES, OUTBOX_LAG, OUTBOX_PENDING, POOL
from app.http.metrics import render as render_metrics
from app.http.observe import ObserveRequests
from app.kit.leaky_bucket import Bucket, MemoryBucket, RedisBucket
from app.migrate import current_heads, script_heads
from app.persisted.resolve import DocumentResolver, TrustedDocuments
from app.persisted.store import MemoryQueryStore, QueryStore, RedisQueryStore
from app.webhooks.dispatcher import Dispatcher
from app.webhooks.health import outbox_health
from schema.http.view import OmnigraphGraphQL

log = logging.getLogger("omnigraph.server")

REQUEST_ID_HEADER = "x-request-id"


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
    # Worker processes started by uvicorn configure their own logging here.
    configure_logging(settings.log_level, settings.log_format)
    database = db or Database.from_url(
        settings.database_url, pool_size=settings.database_pool_size, echo=settings.sql_echo
    )
    # One Redis client per process for persisted queries and cost buckets, when configured.
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    store: QueryStore
    bucket: Bucket
    if redis is not None:
        store = RedisQueryStore(
            redis, settings.events_prefix, settings.apq_ttl_seconds, settings.apq_cache_size
        )
        bucket = RedisBucket(redis, settings.events_prefix)
    else:
        store, bucket = MemoryQueryStore(settings.apq_cache_size), MemoryBucket()
    documents = DocumentResolver(
        store,
        TrustedDocuments(database, settings.trusted_documents_cache_seconds),
        settings.apq_document_max_bytes,
    )
    graphql = OmnigraphGraphQL(
        database,
        settings,
        documents,
        bucket,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL],
    )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def metrics(_: Request) -> Response:
        pool = database.engine.pool
        POOL.labels("checked_out").set(getattr(pool, "checkedout", lambda: 0)())
        POOL.labels("size").set(getattr(pool, "size", lambda: 0)())
        try:
            health = await outbox_health(database)
        except Exception:
            log.exception("could not read the outbox for metrics")
        else:
            OUTBOX_LAG.set(health.lag_seconds)
            OUTBOX_PENDING.set(health.pending_events)
            for status, count in health.deliveries.items():
                DELIVERIES.labels(status).set(count)
        body, content_type = render_metrics()
        return Response(body, media_type=content_type)

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
    broker = create_broker(settings.redis_url, settings.events_prefix, redis)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # What start-up built (modules, the schema, caches) lives as long as the process:
        # frozen, it is left out of every collection, which then scans what requests made.
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(settings.gc_young_threshold, thresholds[1], thresholds[2])
        stop = asyncio.Event()
        dispatching = None
        if settings.webhooks_in_process:
            dispatcher = Dispatcher(database, settings)
            dispatching = asyncio.create_task(dispatcher.run(stop))
        yield
        if dispatching is not None:
            stop.set()
            await dispatching
            await dispatcher.close()
        await broker.close()
        # The broker closes the shared Redis client.
        await store.close()
        if db is None:
            await database.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="explorer-static"),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(RequestReadsMiddleware, db=database)
    app.add_middleware(BodySizeLimit, max_bytes=settings.request_body_max_bytes)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(ObserveRequests)
    app.state.db = database
    app.state.broker = broker
    app.state.redis = redis
    app.state.graphql = graphql
    return app
