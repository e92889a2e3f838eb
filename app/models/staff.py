from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class StaffRole(StrEnum):
    ADMIN = "ADMIN"
    OPERATIONS = "OPERATIONS"
    STORE_ASSOCIATE = "STORE_ASSOCIATE"


class StaffUser(Base):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(Enum(StaffRole, native_enum=False, length=20))
    home_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL")
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessToken(Base):
    """A bearer token, kept only as its SHA-256 digest."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # STAFF or CUSTOMER; the subject's id lives in the column of that kind.
    subject_kind: Mapped[str] = mapped_column(String(20))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
