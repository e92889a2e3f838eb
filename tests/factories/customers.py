"""Customers, sessions and partner keys for tests, made without going through the API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache

from app.auth.partners import create_api_client
from app.auth.service import STAFF_TOKEN_PREFIX, issue_customer_token
from app.config import Settings
from app.customers.identity import attach_identifier
from app.customers.timeline import EventKind, record_customer_event
from app.database import Database
from app.kit.clock import utcnow
from app.kit.security import hash_password, new_token, token_digest
from app.models.customer import Customer, IdentifierKind
from app.models.staff import AccessToken, StaffRole, StaffUser

CUSTOMER_PASSWORD = "blue-canoe-paddle"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # Hashing costs tens of milliseconds by design; tests share one hash.
    return hash_password(CUSTOMER_PASSWORD)


async def create_customer(
    db: Database,
    *,
    email: str | None = "ana@example.com",
    phone: str | None = None,
    loyalty_card: str | None = None,
    first_name: str = "Ana",
    last_name: str = "Silva",
    with_account: bool = True,
    channel_code: str | None = "web",
) -> int:
    """A customer holding the given (already normalised) identifiers; returns the id."""
    async with db.write() as uow:
        customer = Customer(
            first_name=first_name,
            last_name=last_name,
            password_hash=_password_hash() if with_account else None,
        )
        uow.session.add(customer)
        await uow.session.flush()
        kind = EventKind.REGISTERED if with_account else EventKind.CREATED_AS_GUEST
        await record_customer_event(uow.session, customer.id, kind, channel_code=channel_code)
        for identifier_kind, value in (
            (IdentifierKind.EMAIL, email),
            (IdentifierKind.PHONE, phone),
            (IdentifierKind.LOYALTY_CARD, loyalty_card),
        ):
            if value:
                await attach_identifier(uow.session, customer, identifier_kind, value)
        return customer.id


async def customer_token(db: Database, settings: Settings, customer_id: int) -> str:
    async with db.write() as uow:
        issued = await issue_customer_token(uow.session, settings, customer_id)
    return issued.token


async def quick_staff_token(
    db: Database,
    *,
    role: StaffRole,
    email: str,
    home_location_id: int | None = None,
) -> str:
    """A staff member and a live token, without the cost of signing in."""
    token = new_token(STAFF_TOKEN_PREFIX)
    async with db.write() as uow:
        staff = StaffUser(
            email=email, password_hash=_password_hash(), role=role,
            home_location_id=home_location_id,
        )  # fmt: skip
        uow.session.add(staff)
        await uow.session.flush()
        uow.session.add(
            AccessToken(
                token_digest=token_digest(token),
                subject_kind="STAFF",
                staff_user_id=staff.id,
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
    return token


async def partner_key(
    db: Database,
    *,
    scopes: Sequence[str] = (),
    name: str = "P",
    documents_client: str | None = None,
    documents_mode: str = "ENFORCE",
    cost_budget: int | None = None,
) -> str:
    async with db.write() as uow:
        issued = await create_api_client(
            uow.session, name=name, scopes=scopes, documents_client=documents_client,
            documents_mode=documents_mode, cost_budget=cost_budget,
        )  # fmt: skip
    return issued.key
