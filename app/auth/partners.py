"""Partner API clients: keys shown once, stored as digests, limited by scopes, bound to
trusted documents, with a query cost budget."""

from __future__ import annotations

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
DOCUMENT_MODES = ("ENFORCE", "LOG")


@dataclass(frozen=True, slots=True)
class IssuedKey:
    client_id: int
    key: str


async def create_api_client(
    session: AsyncSession,
    *,
    name: str,
    scopes: Sequence[str],
    documents_client: str | None = None,
    documents_mode: str = "ENFORCE",
    cost_budget: int | None = None,
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
    _check_binding(documents_client, documents_mode, cost_budget)
    key = new_token(KEY_PREFIX)
    client = ApiClient(
        name=name.strip(),
        key_prefix=key[:12],
        key_digest=token_digest(key),
        scopes=sorted(set(scopes)),
        documents_client=documents_client.strip() if documents_client else None,
        documents_mode=documents_mode,
        cost_budget=cost_budget,
        created_by_staff_id=created_by_staff_id,
    )
    session.add(client)
    await session.flush()
    return IssuedKey(client_id=client.id, key=key)


def _check_binding(client: str | None, mode: str, cost_budget: int | None) -> None:
    if client is not None and not client.strip():
        raise Invalid("Name the documents' client", code="CLIENT_REQUIRED", field="client")
    if mode not in DOCUMENT_MODES:
        raise Invalid(
            f"Mode is one of {', '.join(DOCUMENT_MODES)}", code="INVALID_MODE", field="mode"
        )
    if cost_budget is not None and cost_budget < 1:
        raise Invalid("A cost budget is positive", code="INVALID_BUDGET", field="costBudget")


async def bind_api_client(
    session: AsyncSession,
    client_id: int,
    *,
    documents_client: str | None,
    documents_mode: str = "ENFORCE",
) -> None:
    """Bind a key to a client's trusted documents (None unbinds it)."""
    _check_binding(documents_client, documents_mode, None)
    result = await session.execute(
        update(ApiClient)
        .where(ApiClient.id == client_id, ApiClient.revoked_at.is_(None))
        .values(
            documents_client=documents_client.strip() if documents_client else None,
            documents_mode=documents_mode,
        )
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound(f"No active API client {client_id}", field="id")


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
        documents_client=row.documents_client,
        documents_enforced=row.documents_mode != "LOG",
        cost_budget=row.cost_budget,
    )
