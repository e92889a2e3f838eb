"""Partner API clients: keys shown once, stored as digests, limited by scopes and operations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.scopes import SCOPES
from app.auth.viewer import Viewer, ViewerKind
from app.database import Database
from app.errors import Invalid, NotFound
from app.kit.clock import utcnow
from app.kit.security import new_token, token_digest
from app.models.partner import ApiClient

KEY_PREFIX = "ogp"
_OPERATION_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


@dataclass(frozen=True, slots=True)
class IssuedKey:
    client_id: int
    key: str


async def create_api_client(
    session: AsyncSession,
    *,
    name: str,
    scopes: Sequence[str],
    allowed_operations: Sequence[str] = (),
    created_by_staff_id: int | None = None,
) -> IssuedKey:
    if not name.strip():
        raise Invalid("A partner needs a name", code="NAME_REQUIRED", field="name")
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown:
        raise Invalid(
            f"Unknown scopes: {', '.join(unknown)}; known: {', '.join(sorted(SCOPES))}",
            code="UNKNOWN_SCOPE",
            field="scopes",
        )
    bad = [op for op in allowed_operations if not _OPERATION_NAME.match(op)]
    if bad:
        raise Invalid(
            f"Not GraphQL operation names: {', '.join(bad)}",
            code="INVALID_OPERATION_NAME",
            field="allowedOperations",
        )
    key = new_token(KEY_PREFIX)
    client = ApiClient(
        name=name.strip(),
        key_prefix=key[:12],
        key_digest=token_digest(key),
        scopes=sorted(set(scopes)),
        allowed_operations=sorted(set(allowed_operations)),
        created_by_staff_id=created_by_staff_id,
    )
    session.add(client)
    await session.flush()
    return IssuedKey(client_id=client.id, key=key)


async def list_api_clients(session: AsyncSession) -> list[ApiClient]:
    return list((await session.execute(select(ApiClient).order_by(ApiClient.id))).scalars())


async def revoke_api_client(session: AsyncSession, client_id: int) -> None:
    result = await session.execute(
        update(ApiClient)
        .where(ApiClient.id == client_id, ApiClient.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound(f"No active API client {client_id}", field="id")


async def viewer_for_api_key(db: Database, key: str) -> Viewer | None:
    async with db.read() as conn:
        row = await repository.api_client_by_digest(conn, token_digest(key))
    if row is None:
        return None
    return Viewer(
        kind=ViewerKind.PARTNER,
        partner_id=row.id,
        scopes=frozenset(row.scopes or ()),
        operations=frozenset(row.allowed_operations or ()),
    )
