"""Partner API clients and the record of failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class ApiClient(Base):
    """A partner's key, kept as a digest, with its scopes, trusted documents and cost budget."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The first characters of the key, so that operators can tell keys apart in logs.
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Bound to a client's trusted documents (persisted_document.client_name), the key runs only
    # those; unbound, it may send any document its scopes allow.
    documents_client: Mapped[str | None] = mapped_column(String(200))
    # ENFORCE refuses other documents; LOG runs them and logs, for rolling a binding out.
    documents_mode: Mapped[str] = mapped_column(String(10), default="ENFORCE")
    # Query cost points the key's bucket holds; unset means the default of the settings.
    cost_budget: Mapped[int | None] = mapped_column(Integer)
    created_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """One failed sign-in, keyed by account or by client address; read to slow down guessing."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key_failed", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
