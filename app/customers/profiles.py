"""Changing a customer's own data: name, addresses, consents."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import ensure_can_change_customer
from app.auth.viewer import Viewer
from app.customers.identity import normalise_phone
from app.customers.lookup import live_customer
from app.customers.timeline import EventKind, record_customer_event
from app.errors import Invalid
from app.models.customer import ConsentPurpose, Customer, CustomerAddress, CustomerConsent


def _name(value: str, field: str) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > 100:
        raise Invalid("Names are at most 100 characters", code="NAME_TOO_LONG", field=field)
    return cleaned


async def update_profile(
    session: AsyncSession,
    viewer: Viewer,
    customer_id: int,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Customer:
    ensure_can_change_customer(viewer, customer_id)
    customer = await live_customer(session, customer_id, "customerId")
    changed = []
    if first_name is not None:
        customer.first_name = _name(first_name, "firstName")
        changed.append("firstName")
    if last_name is not None:
        customer.last_name = _name(last_name, "lastName")
        changed.append("lastName")
    if changed:
        await record_customer_event(
            session, customer.id, EventKind.PROFILE_UPDATED, staff_user_id=viewer.staff_id,
            data={"fields": changed},
        )  # fmt: skip
    return customer


@dataclass(frozen=True, slots=True)
class AddressInput:
    line1: str
    city: str
    country_code: str
    first_name: str = ""
    last_name: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str | None = None


async def add_address(
    session: AsyncSession,
    viewer: Viewer,
    customer_id: int,
    address: AddressInput,
    *,
    default_region: str,
) -> CustomerAddress:
    ensure_can_change_customer(viewer, customer_id)
    customer = await live_customer(session, customer_id, "customerId")
    for name in ("line1", "city"):
        if not getattr(address, name).strip():
            raise Invalid(f"{name} is required", code="REQUIRED", field=f"address.{name}")
    country = address.country_code.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise Invalid(
            "Use a two-letter ISO 3166 country code",
            code="INVALID_COUNTRY",
            field="address.countryCode",
        )
    phone = (
        normalise_phone(address.phone, country or default_region, field="address.phone")
        if address.phone
        else None
    )
    row = CustomerAddress(
        customer_id=customer.id,
        first_name=_name(address.first_name, "address.firstName"),
        last_name=_name(address.last_name, "address.lastName"),
        line1=address.line1.strip(),
        line2=address.line2.strip(),
        city=address.city.strip(),
        region=address.region.strip(),
        postal_code=address.postal_code.strip().upper(),
        country_code=country,
        phone=phone,
    )
    session.add(row)
    await session.flush()
    await record_customer_event(
        session, customer.id, EventKind.ADDRESS_ADDED, staff_user_id=viewer.staff_id,
        data={"addressId": row.id, "city": row.city},
    )  # fmt: skip
    return row


async def set_consent(
    session: AsyncSession,
    viewer: Viewer,
    customer_id: int,
    purpose: ConsentPurpose,
    granted: bool,
    *,
    source: str,
) -> Customer:
    """Record a decision; earlier ones stay as the history that proves what was agreed."""
    ensure_can_change_customer(viewer, customer_id)
    customer = await live_customer(session, customer_id, "customerId")
    session.add(
        CustomerConsent(customer_id=customer.id, purpose=purpose, granted=granted, source=source)
    )
    await record_customer_event(
        session, customer.id, EventKind.CONSENT_CHANGED, staff_user_id=viewer.staff_id,
        data={"purpose": purpose.value, "granted": granted, "source": source},
    )  # fmt: skip
    return customer
