"""Every model, imported so that `Base.metadata` is complete (alembic and tests rely on it)."""

from app.database import Base
from app.models.catalog import (
    Category,
    Price,
    Product,
    ProductCategory,
    ProductChannel,
    ProductMedia,
    ProductStatus,
    ProductTranslation,
    Variant,
)
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind, LocationStatus
from app.models.staff import AccessToken, StaffRole, StaffUser

__all__ = [
    "AccessToken",
    "Base",
    "Category",
    "Channel",
    "ChannelKind",
    "Location",
    "LocationKind",
    "LocationStatus",
    "Price",
    "Product",
    "ProductCategory",
    "ProductChannel",
    "ProductMedia",
    "ProductStatus",
    "ProductTranslation",
    "StaffRole",
    "StaffUser",
    "Variant",
]
