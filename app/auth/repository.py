"""SQL for staff accounts and access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models.customer import Customer
from app.models.partner import ApiClient
from app.models.staff import AccessToken, StaffUser


async def staff_by_email(session: AsyncSession, email: str) -> StaffUser | None:
    result = await session.execute(select(StaffUser).where(StaffUser.email == email))
    return result.scalar_one_or_none()


async def add_token(session: AsyncSession, token: AccessToken) -> None:
    session.add(token)
    await session.flush()


async def revoke_token(session: AsyncSession, token_id: int, at: datetime) -> None:
    await session.execute(
        update(AccessToken)
        .where(AccessToken.id == token_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )


async def revoke_customer_tokens(
    session: AsyncSession, customer_id: int, at: datetime, *, keep_token_id: int | None = None
) -> None:
    stmt = update(AccessToken).where(
        AccessToken.customer_id == customer_id, AccessToken.revoked_at.is_(None)
    )
    if keep_token_id is not None:
        stmt = stmt.where(AccessToken.id != keep_token_id)
    await session.execute(stmt.values(revoked_at=at))


async def customer_token_subject(conn: AsyncConnection, digest: str, now: datetime) -> Any:
    """Token id and customer id of a live token of a customer who still has an account."""
    return (
        await conn.execute(
            select(AccessToken.id.label("token_id"), Customer.id.label("customer_id"))
            .join(Customer, Customer.id == AccessToken.customer_id)
            .where(
                AccessToken.token_digest == digest,
                AccessToken.subject_kind == "CUSTOMER",
                AccessToken.revoked_at.is_(None),
                AccessToken.expires_at > now,
                Customer.merged_into_id.is_(None),
                Customer.erased_at.is_(None),
            )
        )
    ).first()


async def api_client_by_digest(conn: AsyncConnection, digest: str) -> Any:
    return (
        await conn.execute(
            select(
                ApiClient.id,
                ApiClient.scopes,
                ApiClient.documents_client,
                ApiClient.documents_mode,
                ApiClient.cost_budget,
            ).where(ApiClient.key_digest == digest, ApiClient.revoked_at.is_(None))
        )
    ).first()


async def staff_token_subject(conn: AsyncConnection, digest: str, now: datetime) -> Any:
    """Token id, staff id, role and home location of a live staff token."""
    return (
        await conn.execute(
            select(
                AccessToken.id.label("token_id"),
                StaffUser.id.label("staff_id"),
                StaffUser.role,
                StaffUser.home_location_id,
            )
            .join(StaffUser, StaffUser.id == AccessToken.staff_user_id)
            .where(
                AccessToken.token_digest == digest,
                AccessToken.subject_kind == "STAFF",
                AccessToken.revoked_at.is_(None),
                AccessToken.expires_at > now,
                StaffUser.is_active.is_(True),
            )
        )
    ).first()
