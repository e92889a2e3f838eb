"""Test harness: a real database (SQLite by default, PostgreSQL with --db=postgres), migrated
once per session; every test starts from empty tables; requests go through the ASGI app."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

import app.models  # noqa: F401
from app.config import Settings
from app.database import Base, Database
from app.migrate import upgrade
from app.reference import cache as reference
from app.server import create_app
from schema.execution import differential

# Every query operation of the suite runs on the compiled path and on graphql-core's standard
# executor; the answers must be the same (see the `same_answer_on_both_paths` fixture).
differential.enable()

POSTGRES_ADMIN_URL = os.environ.get(
    "OMNIGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="database the suite runs against",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--db") == "postgres":
        return
    skip = pytest.mark.skip(
        reason="races and row locks are exercised on PostgreSQL (--db=postgres)"
    )
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def same_answer_on_both_paths() -> Iterator[None]:
    differential.mismatches.clear()
    yield
    if differential.mismatches:
        found = "\n\n".join(differential.mismatches)
        differential.mismatches.clear()
        pytest.fail(f"execution paths disagree:\n{found}", pytrace=False)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
async def database_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A fresh database for this session, dropped at the end (runs may go side by side)."""
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "omnigraph.db"
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = f"omnigraph_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(scope="session")
async def migrated_db(database_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(database_url, pool_size=10)
    await upgrade(db.engine)
    yield db
    await reference.forget(db)
    await db.dispose()


async def truncate_all(db: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with db.engine.begin() as conn:
        if db.sqlite:
            for name in tables:
                await conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            joined = ", ".join(f'"{n}"' for n in tables)
            await conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def db(migrated_db: Database) -> Database:
    await truncate_all(migrated_db)
    # The process's reference data copy saw the previous test's rows.
    await reference.forget(migrated_db)
    return migrated_db


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, redis_url=None)


@pytest.fixture
async def client(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(settings, db)
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if differential.reference_run.get():
            return  # the comparison's second run of a query is not the request's cost
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(db: Database) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(db.engine.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.engine.sync_engine, "before_cursor_execute", counter)
