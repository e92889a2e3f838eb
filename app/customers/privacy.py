"""Data protection: export everything held about a customer, and erase their personal data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth_service
from app.auth.access import ensure_can_handle_personal_data
from app.auth.viewer import Viewer
from app.customers.lookup import live_customer
from app.customers.timeline import EventKind, record_customer_event
from app.kit.clock import utcnow
from app.models.customer import (
    Customer,
    CustomerAddress,
    CustomerConsent,
    CustomerEvent,
    CustomerIdentifier,
    PasswordResetToken,
)
from app.models.staff import AccessToken

# Each returns a JSON-serialisable section of the export for one customer.
ExportSection = Callable[[AsyncSession, int], Awaitable[Any]]
# Each anonymises its domain's rows of one customer, keeping what the business must keep.
EraseHook = Callable[[AsyncSession, int], Awaitable[None]]
_EXPORT_SECTIONS: dict[str, ExportSection] = {}
_ERASE_HOOKS: dict[str, EraseHook] = {}


def register_export_section(name: str, section: ExportSection) -> Callable[[], None]:
    if name in _EXPORT_SECTIONS:
        raise ValueError(f"An export section named {name!r} is already registered")
    _EXPORT_SECTIONS[name] = section
    return lambda: _EXPORT_SECTIONS.pop(name, None) and None


def register_erase_hook(name: str, hook: EraseHook) -> Callable[[], None]:
    if name in _ERASE_HOOKS:
        raise ValueError(f"An erase hook named {name!r} is already registered")
    _ERASE_HOOKS[name] = hook
    return lambda: _ERASE_HOOKS.pop(name, None) and None


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def _rows(session: AsyncSession, model: Any, customer_id: int, *fields: str) -> list[Any]:
    result = await session.execute(
        select(*[getattr(model, f) for f in fields])
        .where(model.customer_id == customer_id)
        .order_by(model.id)
    )
    return [{f: _iso(v) for f, v in zip(fields, row, strict=True)} for row in result]


async def export_customer_data(
    session: AsyncSession, viewer: Viewer, customer_id: int
) -> dict[str, Any]:
    """Everything held about the customer, including what merged profiles brought in."""
    ensure_can_handle_personal_data(viewer, customer_id)
    customer = await live_customer(session, customer_id, "customerId")
    merged = await session.execute(
        select(Customer.id, Customer.merged_at).where(Customer.merged_into_id == customer.id)
    )
    export: dict[str, Any] = {
        "customer": {
            "id": customer.id,
            "firstName": customer.first_name,
            "lastName": customer.last_name,
            "hasAccount": customer.password_hash is not None,
            "passwordChangedAt": _iso(customer.password_changed_at),
            "createdAt": _iso(customer.created_at),
            "mergedFrom": [{"id": i, "mergedAt": _iso(at)} for i, at in merged],
        },
        "identifiers": await _rows(
            session, CustomerIdentifier, customer.id, "kind", "value", "verified_at", "created_at"
        ),
        "addresses": await _rows(
            session,
            CustomerAddress,
            customer.id,
            "first_name",
            "last_name",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country_code",
            "phone",
            "created_at",
        ),
        "consents": await _rows(
            session, CustomerConsent, customer.id, "purpose", "granted", "source", "recorded_at"
        ),
        "timeline": await _rows(
            session,
            CustomerEvent,
            customer.id,
            "kind",
            "channel_code",
            "location_id",
            "data",
            "occurred_at",
        ),
        "sessions": await _rows(
            session, AccessToken, customer.id, "created_at", "expires_at", "revoked_at"
        ),
    }
    for name, section in _EXPORT_SECTIONS.items():
        export[name] = await section(session, customer.id)
    await record_customer_event(
        session, customer.id, EventKind.DATA_EXPORTED, staff_user_id=viewer.staff_id
    )
    return export


async def erase_customer(session: AsyncSession, viewer: Viewer, customer_id: int) -> Customer:
    """Anonymise the person; keep the customer row, consents and the shape of the timeline,
    which orders, returns and the consent record still need."""
    ensure_can_handle_personal_data(viewer, customer_id)
    customer = await live_customer(session, customer_id, "customerId")
    merged_ids = list(
        (
            await session.execute(select(Customer.id).where(Customer.merged_into_id == customer.id))
        ).scalars()
    )
    people = [customer.id, *merged_ids]
    for model in (CustomerIdentifier, CustomerAddress, PasswordResetToken):
        await session.execute(delete(model).where(model.customer_id.in_(people)))
    # Event payloads may quote identifiers or addresses; kinds and dates stay for the history.
    await session.execute(
        update(CustomerEvent).where(CustomerEvent.customer_id.in_(people)).values(data={})
    )
    await session.execute(
        update(Customer)
        .where(Customer.id.in_(people))
        .values(first_name="", last_name="", password_hash=None, erased_at=utcnow())
    )
    await auth_service.revoke_customer_tokens(session, customer.id)
    for hook in list(_ERASE_HOOKS.values()):
        await hook(session, customer.id)
    await record_customer_event(
        session, customer.id, EventKind.ERASED, staff_user_id=viewer.staff_id
    )
    await session.refresh(customer)
    return customer
