"""The rest of a cart: delivery method, discount codes and the note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.carts.errors import (
    InvalidAddress,
    NoteTooLong,
    PickupUnavailable,
    TooManyCodes,
    UnknownLocation,
)
from app.config import Settings
from app.kit.clock import utcnow
from app.locations import repository as location_repository
from app.locations.service import check_point
from app.locations.views import GeoPoint
from app.models.cart import Cart, DeliveryMethod
from app.models.location import LocationKind
from app.pricing.service import check_codes

NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class AddressInput:
    line1: str
    city: str
    country_code: str
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _address(address: AddressInput | None) -> dict[str, object]:
    field = "deliveryAddress"
    if address is None:
        raise InvalidAddress("Shipping needs an address", field=field)
    country = address.country_code.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidAddress("A country is its two-letter ISO code", field=f"{field}.countryCode")
    for name, value, limit in (("line1", address.line1, 200), ("city", address.city, 100)):
        if not value.strip() or len(value) > limit:
            raise InvalidAddress(f"{name} needs 1 to {limit} characters", field=f"{field}.{name}")
    result: dict[str, object] = {
        "line1": address.line1.strip(),
        "line2": address.line2.strip()[:200],
        "city": address.city.strip(),
        "region": address.region.strip().upper()[:100],
        "postalCode": address.postal_code.strip()[:20],
        "countryCode": country,
    }
    if (address.latitude is None) != (address.longitude is None):
        raise InvalidAddress("Give both latitude and longitude, or neither", field=field)
    if address.latitude is not None and address.longitude is not None:
        point = check_point(GeoPoint(address.latitude, address.longitude), field)
        result["latitude"], result["longitude"] = point.latitude, point.longitude
    return result


async def set_delivery(
    session: AsyncSession,
    cart: Cart,
    method: DeliveryMethod,
    address: AddressInput | None,
    pickup_location_id: int | None,
) -> None:
    if method is DeliveryMethod.SHIPPING:
        cart.shipping_address = _address(address)
        cart.pickup_location_id = None
    else:
        if pickup_location_id is None:
            raise PickupUnavailable("Pickup needs a store", field="pickupLocationId")
        store = await location_repository.location_by_id(session, pickup_location_id)
        if store is None:
            raise UnknownLocation("No such location", field="pickupLocationId")
        if store.kind is not LocationKind.STORE or not store.pickup or not store.is_open:
            raise PickupUnavailable(f"{store.name} does not offer pickup", field="pickupLocationId")
        cart.pickup_location_id = store.id
        cart.shipping_address = None
    cart.delivery_method = method
    cart.updated_at = utcnow()
    await session.flush()


async def set_discount_codes(
    session: AsyncSession, settings: Settings, cart: Cart, codes: Sequence[str]
) -> None:
    """Replace the cart's codes; each must exist, be valid now and have uses left."""
    if len(codes) > settings.cart_discount_codes_max:
        raise TooManyCodes(
            f"At most {settings.cart_discount_codes_max} codes per cart", field="discountCodes"
        )
    cart.discount_codes = await check_codes(
        session, codes, cart.customer_id, utcnow(), "discountCodes"
    )
    cart.updated_at = utcnow()
    await session.flush()


async def set_note(session: AsyncSession, cart: Cart, note: str) -> None:
    if len(note) > NOTE_MAX_LENGTH:
        raise NoteTooLong(f"A note holds at most {NOTE_MAX_LENGTH} characters", field="note")
    cart.note = note
    cart.updated_at = utcnow()
    await session.flush()
