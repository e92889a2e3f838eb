"""Run and inspect alembic migrations from code (the CLI, the server and the tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["configure_logger"] = False
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Migrate to every head (domains may add revisions side by side)."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
        await _list_configured_locales(conn)


async def _list_configured_locales(conn: AsyncConnection) -> None:
    """Product listing rows for every configured locale: a locale added to the settings since
    the rows were written has none yet, and a list in it would come out empty."""
    from app.catalog import listing
    from app.config import get_settings

    missing = await listing.missing_locales(conn, get_settings().supported_locales)
    if missing:
        await listing.refresh(conn, None, get_settings().supported_locales)


def upgrade_blocking(database_url: str) -> None:
    from app.database import create_engine

    async def _run() -> None:
        engine = create_engine(database_url, pool_size=1)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(_run())


def script_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def current_heads(engine: AsyncEngine) -> set[str]:
    def _current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
