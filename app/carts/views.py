"""Read models of carts: plain rows, plus what the engine and the stock checks make of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from app.channels.views import ChannelView
from app.config import Settings
from app.locations.views import LocationView
from app.models.cart import CartStatus, DeliveryMethod
from app.models.channel import ChannelKind
from app.pricing.service import CartPricing


def channel_group(kind: ChannelKind) -> str:
    """Channels whose carts are one: a shopper's web and app carts are the same cart."""
    return "ONLINE" if kind in (ChannelKind.WEB, ChannelKind.APP) else kind.value


class CartWarningCode(StrEnum):
    NOT_ENOUGH_STOCK = "NOT_ENOUGH_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    PRICE_CHANGED = "PRICE_CHANGED"
    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"


@dataclass(frozen=True, slots=True)
class CartView:
    id: int
    token: str
    status: CartStatus
    channel_id: int
    channel_group: str
    currency_code: str
    customer_id: int | None
    email: str | None
    country_code: str | None
    location_id: int | None
    staff_user_id: int | None
    note: str
    discount_codes: list[str]
    delivery_method: DeliveryMethod | None
    pickup_location_id: int | None
    shipping_address: dict[str, Any] | None
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime

    def expires_at(self, settings: Settings) -> datetime:
        ttl = (
            settings.cart_customer_ttl_seconds
            if self.customer_id is not None
            else settings.cart_guest_ttl_seconds
        )
        return self.updated_at + timedelta(seconds=ttl)

    def expired(self, settings: Settings, now: datetime) -> bool:
        return self.status is CartStatus.EXPIRED or (
            self.status is CartStatus.ACTIVE and self.expires_at(settings) <= now
        )


@dataclass(frozen=True, slots=True)
class CartLineView:
    id: int
    cart_id: int
    variant_id: int
    quantity: int
    unit_price_seen: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CartWarning:
    code: CartWarningCode
    line_id: int | None
    message: str


@dataclass(frozen=True, slots=True)
class CartRead:
    """A cart as its reader may see it: rows, prices from the engine, warnings, expiry."""

    cart: CartView
    channel: ChannelView
    lines: list[CartLineView]
    pricing: CartPricing
    warnings: list[CartWarning]
    expires_at: datetime
    pickup_location: LocationView | None = None
