"""Trusted documents: the operations a client application registered ahead of time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class PersistedDocument(Base):
    """One operation of a client's manifest, named by the SHA-256 of its text."""

    __tablename__ = "persisted_document"
    __table_args__ = (UniqueConstraint("client_name", "document_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    client_name: Mapped[str] = mapped_column(String(200))
    # Lower-case hex SHA-256 of `body`, as in Apollo's manifests and APQ hashes.
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(200))
    # query, mutation or subscription
    type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
