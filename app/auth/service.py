"""Sign-in for staff and resolution of bearer tokens into viewers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.viewer import Viewer, ViewerKind
from app.config import Settings
from app.database import Database
from app.errors import Invalid, Unauthenticated
from app.kit.clock import utcnow
from app.kit.security import hash_password, new_token, token_digest, verify_password
from app.models.staff import AccessToken, StaffRole, StaffUser

MIN_PASSWORD_LENGTH = 10
STAFF_TOKEN_PREFIX = "ogs"
CUSTOMER_TOKEN_PREFIX = "ogc"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime
    subject_id: int


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_staff(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    role: StaffRole,
    name: str = "",
    home_location_id: int | None = None,
) -> StaffUser:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters",
            code="WEAK_PASSWORD",
            field="password",
        )
    if role is StaffRole.STORE_ASSOCIATE and home_location_id is None:
        raise Invalid(
            "A store associate needs a home store",
            code="HOME_STORE_REQUIRED",
            field="homeLocationId",
        )
    staff = StaffUser(
        email=normalise_email(email),
        name=name,
        password_hash=hash_password(password),
        role=role,
        home_location_id=home_location_id,
    )
    session.add(staff)
    await session.flush()
    return staff


async def staff_login(
    session: AsyncSession, settings: Settings, email: str, password: str
) -> IssuedToken:
    staff = await repository.staff_by_email(session, normalise_email(email))
    valid = verify_password(staff.password_hash if staff else None, password)
    if staff is None or not valid or not staff.is_active:
        raise Unauthenticated("Email or password is wrong", code="INVALID_CREDENTIALS")
    token = new_token(STAFF_TOKEN_PREFIX)
    expires_at = utcnow() + timedelta(seconds=settings.staff_token_ttl_seconds)
    await repository.add_token(
        session,
        AccessToken(
            token_digest=token_digest(token),
            subject_kind="STAFF",
            staff_user_id=staff.id,
            expires_at=expires_at,
        ),
    )
    return IssuedToken(token=token, expires_at=expires_at, subject_id=staff.id)


async def issue_customer_token(
    session: AsyncSession, settings: Settings, customer_id: int
) -> IssuedToken:
    token = new_token(CUSTOMER_TOKEN_PREFIX)
    expires_at = utcnow() + timedelta(seconds=settings.customer_token_ttl_seconds)
    await repository.add_token(
        session,
        AccessToken(
            token_digest=token_digest(token),
            subject_kind="CUSTOMER",
            customer_id=customer_id,
            expires_at=expires_at,
        ),
    )
    return IssuedToken(token=token, expires_at=expires_at, subject_id=customer_id)


async def revoke_customer_tokens(
    session: AsyncSession, customer_id: int, *, keep_token_id: int | None = None
) -> None:
    """Sign a customer out everywhere (password change or reset, merge, erasure)."""
    await repository.revoke_customer_tokens(
        session, customer_id, utcnow(), keep_token_id=keep_token_id
    )


async def viewer_for_token(db: Database, token: str) -> Viewer | None:
    """The viewer a bearer token stands for, or None when it is unknown, expired or revoked."""
    digest, now = token_digest(token), utcnow()
    async with db.read() as conn:
        if token.startswith(f"{CUSTOMER_TOKEN_PREFIX}_"):
            customer = await repository.customer_token_subject(conn, digest, now)
            if customer is None:
                return None
            return Viewer(
                kind=ViewerKind.CUSTOMER,
                customer_id=customer.customer_id,
                token_id=customer.token_id,
            )
        row = await repository.staff_token_subject(conn, digest, now)
    if row is None:
        return None
    return Viewer(
        kind=ViewerKind.STAFF,
        staff_id=row.staff_id,
        role=StaffRole(row.role),
        home_location_id=row.home_location_id,
        token_id=row.token_id,
    )


async def sign_out(session: AsyncSession, viewer: Viewer) -> None:
    if viewer.token_id is None:
        raise Unauthenticated("Not signed in")
    await repository.revoke_token(session, viewer.token_id, utcnow())
