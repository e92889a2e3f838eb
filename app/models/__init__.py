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
from app.models.customer import (
    ConsentPurpose,
    Customer,
    CustomerAddress,
    CustomerConsent,
    CustomerEvent,
    CustomerIdentifier,
    IdentifierKind,
    PasswordResetToken,
)
from app.models.events import (
    AggregateSequence,
    DeliveryStatus,
    OutboxEvent,
    WebhookDelivery,
    WebhookSubscription,
)
from app.models.inventory import (
    ChannelLocation,
    ChannelStockPool,
    InventoryMovement,
    InventoryTransfer,
    InventoryTransferLine,
    MovementKind,
    StockLevel,
    TransferStatus,
)
from app.models.location import Location, LocationKind, LocationStatus
from app.models.partner import ApiClient, LoginFailure
from app.models.persisted import PersistedDocument
from app.models.staff import AccessToken, StaffRole, StaffUser

__all__ = [
    "AccessToken",
    "AggregateSequence",
    "ApiClient",
    "Base",
    "Category",
    "Channel",
    "ChannelKind",
    "ChannelLocation",
    "ChannelStockPool",
    "ConsentPurpose",
    "Customer",
    "CustomerAddress",
    "CustomerConsent",
    "CustomerEvent",
    "CustomerIdentifier",
    "DeliveryStatus",
    "IdentifierKind",
    "InventoryMovement",
    "InventoryTransfer",
    "InventoryTransferLine",
    "Location",
    "LocationKind",
    "LocationStatus",
    "LoginFailure",
    "MovementKind",
    "OutboxEvent",
    "PasswordResetToken",
    "PersistedDocument",
    "Price",
    "Product",
    "ProductCategory",
    "ProductChannel",
    "ProductMedia",
    "ProductStatus",
    "ProductTranslation",
    "StaffRole",
    "StaffUser",
    "StockLevel",
    "TransferStatus",
    "Variant",
    "WebhookDelivery",
    "WebhookSubscription",
]
