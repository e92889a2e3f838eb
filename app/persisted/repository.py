"""SQL for trusted documents."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models.persisted import PersistedDocument


async def document_body(conn: AsyncConnection, client_name: str | None, digest: str) -> str | None:
    """The body of document `digest` of `client_name`, or of any client when None."""
    query = select(PersistedDocument.body).where(PersistedDocument.document_id == digest)
    if client_name is not None:
        query = query.where(PersistedDocument.client_name == client_name)
    body = (await conn.execute(query.limit(1))).scalar()
    return None if body is None else str(body)


async def existing_ids(session: AsyncSession, client_name: str) -> set[str]:
    rows = await session.execute(
        select(PersistedDocument.document_id).where(PersistedDocument.client_name == client_name)
    )
    return set(rows.scalars())


async def remove(session: AsyncSession, client_name: str, ids: Sequence[str]) -> None:
    if ids:
        await session.execute(
            delete(PersistedDocument).where(
                PersistedDocument.client_name == client_name,
                PersistedDocument.document_id.in_(list(ids)),
            )
        )


async def client_documents(session: AsyncSession, client_name: str) -> list[PersistedDocument]:
    rows = await session.execute(
        select(PersistedDocument)
        .where(PersistedDocument.client_name == client_name)
        .order_by(PersistedDocument.name, PersistedDocument.document_id)
    )
    return list(rows.scalars())
