from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.kit.clock import utcnow
from app.kit.types import Id, UTCDateTime


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    handle: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (Index("ix_product_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    handle: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[ProductStatus] = mapped_column(
        Enum(ProductStatus, native_enum=False, length=20), default=ProductStatus.DRAFT
    )
    vendor: Mapped[str] = mapped_column(String(200), default="")
    product_type: Mapped[str] = mapped_column(String(200), default="")
    # [{"name": ..., "value": ...}]: free-form facts shown on the product page.
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProductTranslation(Base):
    __tablename__ = "product_translation"
    __table_args__ = (UniqueConstraint("product_id", "locale"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")


class ProductCategory(Base):
    __tablename__ = "product_category"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProductChannel(Base):
    """Publication of a product on a channel."""

    __tablename__ = "product_channel"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProductMedia(Base):
    __tablename__ = "product_media"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(1000))
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Variant(Base):
    __tablename__ = "variant"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    # [{"name": "Size", "value": "M"}], in display order.
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Price(Base):
    """The price of a variant in one currency; every channel selling in it shows this price."""

    __tablename__ = "price"
    __table_args__ = (
        UniqueConstraint("variant_id", "currency_code"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint(
            "compare_at_amount IS NULL OR compare_at_amount >= 0", name="compare_at_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    currency_code: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(Integer)
    compare_at_amount: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _listing_index(key: str) -> Index:
    # The listing filters on channel, locale and status, then reads in sort order: one index
    # per sort key lets a page (and a keyset `after` seek) stop after `first` rows.
    return Index(f"ix_product_listing_{key}", "channel_id", "locale", "status", key, "product_id")


class ProductListing(Base):
    """A product as one channel lists it in one locale: the sort keys of the storefront's
    product lists, kept up to date by every catalog write (app/catalog/listing.py).

    `title` is the title the list shows: the locale's translation, else the channel's default
    locale's, else the handle. `price` is the lowest variant price in the channel's currency
    (0 without one). Sorting the catalog by these on every page read cost a scan and a sort of
    every product; with them stored and indexed, a page reads `first` rows in order.
    """

    __tablename__ = "product_listing"
    __table_args__ = (
        _listing_index("title"),
        _listing_index("price"),
        _listing_index("created_at"),
        _listing_index("updated_at"),
        _listing_index("handle"),
    )

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[ProductStatus] = mapped_column(Enum(ProductStatus, native_enum=False, length=20))
    title: Mapped[str] = mapped_column(String(300))
    handle: Mapped[str] = mapped_column(String(128))
    price: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
