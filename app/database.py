"""Engine, sessions and the declarative base shared by every model."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from starlette.types import ASGIApp, Receive, Scope, Send

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def normalise_url(url: str) -> str:
    """Accept plain driver-less URLs and pick the async driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# Connections older than this are replaced at checkout, before a server or a proxy drops them
# for idleness; a connection that dies anyway fails its first statement, and reads retry that
# once (ReadConnection). Both replace a pre-ping, which cost a round trip on every checkout.
POOL_RECYCLE_SECONDS = 1800


def create_engine(url: str, *, pool_size: int = 20, echo: bool = False) -> AsyncEngine:
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_async_engine(
            url, echo=echo, hide_parameters=True, connect_args={"timeout": 30}
        )
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        # Errors are logged with their statement; bound values (cart tokens, emails) stay out.
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=POOL_RECYCLE_SECONDS,
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take it over
    # so that SQLite transactions behave like PostgreSQL's (see SQLAlchemy's SQLite notes).
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: two writers queue instead of failing
        # later with "database is locked" on lock upgrade.
        write = conn.get_execution_options().get("sqlite_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


AfterCommit = Callable[[], Awaitable[None]]


class UnitOfWork:
    """One write transaction: the session, plus callbacks to run once it has committed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after_commit: list[AfterCommit] = []

    def after_commit(self, callback: AfterCommit) -> None:
        self._after_commit.append(callback)

    async def run_after_commit(self) -> None:
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()


class ReadConnection(AsyncConnection):
    """A connection for reads that survives one dead connection.

    Without a pre-ping, a pooled connection that the server closed is only noticed when a
    statement fails on it. Reads run in autocommit, so the failed statement can simply run
    again on a fresh connection: SQLAlchemy has already invalidated the dead one.
    """

    __slots__ = ()

    async def execute(  # type: ignore[override]
        self,
        statement: Any,
        parameters: Any = None,
        *,
        execution_options: Any = None,
    ) -> CursorResult[Any]:
        result: CursorResult[Any]
        try:
            result = await super().execute(
                statement, parameters, execution_options=execution_options
            )
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        else:
            return result
        await self.rollback()  # leaves the invalidated state; the next use reconnects
        await self.execution_options(isolation_level="AUTOCOMMIT")
        result = await super().execute(statement, parameters, execution_options=execution_options)
        return result


class _RequestReads:
    """The read connection one HTTP request shares between its resolvers: opened on the first
    read, used by one reader at a time (sibling resolvers run concurrently, and a connection
    takes one statement at a time), returned to the pool when the response is sent."""

    __slots__ = ("conn", "database", "lock", "owner")

    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn: AsyncConnection | None = None
        self.lock = asyncio.Lock()
        self.owner: asyncio.Task[Any] | None = None


_request_reads: ContextVar[_RequestReads | None] = ContextVar("request_reads", default=None)


class Database:
    """The engine and the two ways in: read connections and write units of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False, autoflush=True)

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 20, echo: bool = False) -> Database:
        return cls(create_engine(url, pool_size=pool_size, echo=echo))

    async def _open_read(self) -> AsyncConnection:
        if self.sqlite:
            return await self.engine.connect().start()
        conn = await ReadConnection(self.engine).start()
        # Reads need no transaction around them (under READ COMMITTED each statement takes
        # its own snapshot anyway); autocommit spares a BEGIN and a ROLLBACK round trip.
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        return conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one read. Inside `request_scope()` every read of the request
        shares one connection, one reader at a time; outside, each read gets its own."""
        shared = _request_reads.get()
        if shared is None or shared.database is not self:
            conn = await self._open_read()
            try:
                yield conn
            finally:
                await conn.close()
            return
        task = asyncio.current_task()
        if shared.owner is not None and shared.owner is task:  # a read nested in a read
            assert shared.conn is not None
            yield shared.conn
            return
        async with shared.lock:
            shared.owner = task
            try:
                if shared.conn is None:
                    shared.conn = await self._open_read()
                yield shared.conn
            finally:
                shared.owner = None
                if self.sqlite:
                    # SQLite reads open a transaction, whose snapshot would hide what a
                    # mutation of this same request commits afterwards; end it per read.
                    await shared.conn.rollback()  # type: ignore[union-attr]

    @asynccontextmanager
    async def request_scope(self) -> AsyncIterator[None]:
        """Reads inside share one connection, checked out on the first read."""
        shared = _RequestReads(self)
        token = _request_reads.set(shared)
        try:
            yield
        finally:
            _request_reads.reset(token)
            if shared.conn is not None:
                await shared.conn.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        await self._release_request_reads()
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session)
            await session.connection(execution_options={"sqlite_write": True})
            try:
                yield uow
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        await uow.run_after_commit()

    async def _release_request_reads(self) -> None:
        """Give the request's read connection back before taking a write connection, so that
        a request holds one pooled connection at a time: were each of many concurrent
        mutations to keep its read connection while waiting for a write one, they could take
        the whole pool and wait for each other until the pool times out. Reads after the
        write check a connection out again."""
        shared = _request_reads.get()
        if shared is None or shared.database is not self or shared.conn is None:
            return
        if shared.owner is not None and shared.owner is asyncio.current_task():
            return  # a write inside a read block of this task keeps the read connection
        async with shared.lock:
            if shared.conn is not None:
                conn, shared.conn = shared.conn, None
                await conn.close()

    async def dispose(self) -> None:
        await self.engine.dispose()


class RequestReadsMiddleware:
    """Gives each HTTP request one shared read connection (see `Database.request_scope`).
    WebSocket connections get none: a subscription lives for minutes or hours, and must not
    hold a pooled connection all that time, so its reads check out one each."""

    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.db.request_scope():
            await self.app(scope, receive, send)
