"""Customer accounts: registration, sign-in, password change and reset by token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth_service
from app.auth.passwords import check_password
from app.auth.service import IssuedToken
from app.auth.viewer import Viewer
from app.config import Settings
from app.customers import repository
from app.customers.errors import (
    ActivationRequired,
    EmailTaken,
    IdentifierTaken,
    InvalidCredentials,
    InvalidResetToken,
)
from app.customers.identity import attach_identifier, normalise_email
from app.customers.lookup import live_customer
from app.customers.timeline import EventKind, record_customer_event
from app.errors import Unauthenticated
from app.events import outbox
from app.kit.clock import utcnow
from app.kit.security import hash_password, new_token, token_digest, verify_password
from app.models.customer import Customer, IdentifierKind, PasswordResetToken

RESET_TOKEN_PREFIX = "ogr"


@dataclass(frozen=True, slots=True)
class Registration:
    customer: Customer
    token: IssuedToken


async def register(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    channel_code: str | None = None,
) -> Registration:
    address = normalise_email(email, "email")
    check_password(password, min_length=settings.password_min_length, email=address)
    held = await repository.identifier(session, IdentifierKind.EMAIL, address)
    if held is not None:
        holder = await session.get(Customer, held.customer_id)
        if holder is not None and holder.password_hash is None:
            # Taking over a guest profile shows its history, so ownership of the address is
            # proven first: the reset link goes to it and sets the password.
            raise ActivationRequired(
                "This email is known from an earlier purchase; request a password reset "
                "to activate the account",
                field="email",
            )
        raise EmailTaken("An account with this email exists", field="email")
    customer = Customer(
        first_name=" ".join(first_name.split()),
        last_name=" ".join(last_name.split()),
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
    )
    session.add(customer)
    await session.flush()
    await record_customer_event(
        session, customer.id, EventKind.REGISTERED, channel_code=channel_code
    )
    try:
        await attach_identifier(
            session, customer, IdentifierKind.EMAIL, address, channel_code=channel_code,
            field="email", self_asserted=True,
        )  # fmt: skip
    except IdentifierTaken as exc:
        raise EmailTaken("An account with this email exists", field="email") from exc
    token = await auth_service.issue_customer_token(session, settings, customer.id)
    await outbox.emit(session, "customer.created", aggregate_id=customer.id, data={
        "customerId": customer.id, "source": "REGISTERED", "channel": channel_code,
    })  # fmt: skip
    return Registration(customer=customer, token=token)


async def login(
    session: AsyncSession, settings: Settings, *, email: str, password: str
) -> IssuedToken:
    held = await repository.identifier(session, IdentifierKind.EMAIL, email.strip().lower())
    customer = await session.get(Customer, held.customer_id) if held else None
    # Always verify against some hash so that unknown emails cost as much as wrong passwords.
    valid = verify_password(customer.password_hash if customer else None, password)
    if customer is None or not valid or customer.erased_at or customer.merged_into_id:
        raise InvalidCredentials("Email or password is wrong")
    return await auth_service.issue_customer_token(session, settings, customer.id)


async def change_password(
    session: AsyncSession, settings: Settings, viewer: Viewer, *, current: str, new: str
) -> IssuedToken:
    """Signs the customer out everywhere and hands back a fresh token for this device."""
    if viewer.customer_id is None:
        raise Unauthenticated("Sign in as a customer")
    customer = await live_customer(session, viewer.customer_id)
    if not verify_password(customer.password_hash, current):
        raise InvalidCredentials("The current password is wrong", field="currentPassword")
    await _set_password(session, settings, customer, new, EventKind.PASSWORD_CHANGED)
    return await auth_service.issue_customer_token(session, settings, customer.id)


async def _set_password(
    session: AsyncSession, settings: Settings, customer: Customer, password: str, kind: EventKind
) -> None:
    emails = [
        i.value
        for i in await repository.identifiers_of(session, customer.id)
        if i.kind is IdentifierKind.EMAIL
    ]
    check_password(
        password, min_length=settings.password_min_length, email=emails[0] if emails else None
    )
    customer.password_hash = hash_password(password)
    customer.password_changed_at = utcnow()
    await auth_service.revoke_customer_tokens(session, customer.id)
    # Reset links issued before the change would undo it; none may be used any more.
    await repository.expire_reset_tokens(session, customer.id, utcnow())
    await record_customer_event(session, customer.id, kind)


@dataclass(frozen=True, slots=True)
class PasswordResetIssued:
    """Handed to the senders; the only place the plain token ever exists."""

    customer_id: int
    email: str
    token: str
    expires_at: datetime


PasswordResetSender = Callable[[AsyncSession, PasswordResetIssued], Awaitable[None]]
_RESET_SENDERS: list[PasswordResetSender] = []


def register_password_reset_sender(sender: PasswordResetSender) -> Callable[[], None]:
    """Notifications deliver reset links through this; senders run in the request's
    transaction (write an outbox row, not an email). Returns a function that unregisters."""
    _RESET_SENDERS.append(sender)
    return lambda: _RESET_SENDERS.remove(sender)


async def request_password_reset(
    session: AsyncSession, settings: Settings, *, email: str
) -> PasswordResetIssued | None:
    """Issue a reset token for a known email; None otherwise. The API answers the same either
    way, so that the form cannot be used to learn who has an account."""
    address = email.strip().lower()
    held = await repository.identifier(session, IdentifierKind.EMAIL, address)
    if held is None:
        return None
    token = new_token(RESET_TOKEN_PREFIX)
    expires_at = utcnow() + timedelta(seconds=settings.password_reset_ttl_seconds)
    session.add(
        PasswordResetToken(
            token_digest=token_digest(token),
            customer_id=held.customer_id,
            identifier_id=held.id,
            expires_at=expires_at,
        )
    )
    await session.flush()
    issued = PasswordResetIssued(held.customer_id, address, token, expires_at)
    for sender in list(_RESET_SENDERS):
        await sender(session, issued)
    return issued


async def reset_password(
    session: AsyncSession, settings: Settings, *, token: str, new_password: str
) -> IssuedToken:
    """Set a new password from a reset token; also activates a guest profile's account."""
    now = utcnow()
    row = (
        await session.execute(
            select(PasswordResetToken)
            .where(PasswordResetToken.token_digest == token_digest(token))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidResetToken("This reset link is invalid or has expired", field="token")
    customer = await live_customer(session, row.customer_id, "token")
    await _set_password(session, settings, customer, new_password, EventKind.PASSWORD_RESET)
    row.used_at = now
    if row.identifier_id is not None:
        sent_to = await repository.identifier_by_id(session, row.identifier_id)
        if sent_to is not None and sent_to.verified_at is None:
            sent_to.verified_at = now
    return await auth_service.issue_customer_token(session, settings, customer.id)
