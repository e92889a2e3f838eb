from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class ChannelKind(StrEnum):
    WEB = "WEB"
    APP = "APP"
    POS = "POS"
    MARKETPLACE = "MARKETPLACE"


class Channel(Base):
    """A place the business sells through; it fixes currency, locale and the stock it may sell."""

    __tablename__ = "channel"
    __table_args__ = (CheckConstraint("return_window_days >= 0", name="return_window"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ChannelKind] = mapped_column(Enum(ChannelKind, native_enum=False, length=20))
    currency_code: Mapped[str] = mapped_column(String(3))
    default_locale: Mapped[str] = mapped_column(String(16))
    return_window_days: Mapped[int] = mapped_column(Integer, default=30)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
