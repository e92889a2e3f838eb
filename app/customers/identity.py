"""Identifiers and recognition: finding the one customer behind an email, phone or card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import ensure_can_change_customer, ensure_staff
from app.auth.viewer import Viewer
from app.customers import repository
from app.customers.errors import IdentifierConflict, IdentifierTaken, InvalidIdentifier
from app.customers.lookup import live_customer
from app.customers.timeline import EventKind, record_customer_event
from app.customers.views import Recognition
from app.errors import Forbidden, NotFound
from app.events import outbox
from app.kit.clock import utcnow
from app.models.customer import Customer, CustomerIdentifier, IdentifierKind

# Deliberately loose: the address is proven by a message reaching it, not by a pattern.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_LOYALTY = re.compile(r"^[A-Z0-9]{6,32}$")
_EXTERNAL = re.compile(r"^[a-z0-9][a-z0-9._-]{0,49}:\S{1,200}$")
# A customer holds at most one of these: two loyalty cards would mean two points balances.
SINGLE_VALUED = frozenset({IdentifierKind.LOYALTY_CARD})


@dataclass(frozen=True, slots=True)
class IdentifierInput:
    kind: IdentifierKind
    value: str


def normalise_email(value: str, field: str = "value") -> str:
    email = value.strip().lower()
    if len(email) > 320 or not _EMAIL.match(email):
        raise InvalidIdentifier(
            f"'{value}' is not an email address", code="INVALID_EMAIL", field=field
        )
    return email


def normalise_phone(value: str, default_region: str, field: str = "value") -> str:
    """E.164; numbers without a country code are read as numbers of `default_region`."""
    try:
        number = phonenumbers.parse(value, default_region.upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(
            f"'{value}' is not a phone number", code="INVALID_PHONE", field=field
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(
            f"'{value}' is not a valid phone number", code="INVALID_PHONE", field=field
        )
    formatted: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted


def normalise(
    kind: IdentifierKind, value: str, *, default_region: str, field: str = "value"
) -> str:
    """The canonical form that uniqueness is checked on."""
    if kind is IdentifierKind.EMAIL:
        return normalise_email(value, field)
    if kind is IdentifierKind.PHONE:
        return normalise_phone(value, default_region, field)
    if kind is IdentifierKind.LOYALTY_CARD:
        card = re.sub(r"[\s-]", "", value).upper()
        if not _LOYALTY.match(card):
            raise InvalidIdentifier(
                "Loyalty card numbers are 6 to 32 letters or digits",
                code="INVALID_LOYALTY_CARD",
                field=field,
            )
        return card
    # EXTERNAL ids are namespaced by their source ("marketplace-us:8812", "legacy-pos:77"),
    # so two systems' numbering cannot collide.
    source, _, local = value.strip().partition(":")
    external = f"{source.strip().lower()}:{local.strip()}"
    if not _EXTERNAL.match(external):
        raise InvalidIdentifier(
            "External ids are written source:id, for example marketplace-us:8812",
            code="INVALID_EXTERNAL_ID",
            field=field,
        )
    return external


async def attach_identifier(
    session: AsyncSession,
    customer: Customer,
    kind: IdentifierKind,
    value: str,
    *,
    verified: bool = False,
    self_asserted: bool = False,
    staff_user_id: int | None = None,
    channel_code: str | None = None,
    field: str = "value",
) -> CustomerIdentifier:
    """Give a customer an already normalised identifier; refuses one held by anybody."""
    held = await repository.identifier(session, kind, value)
    if held is not None:
        whose = "this customer" if held.customer_id == customer.id else "another customer"
        raise IdentifierTaken(f"This {kind.value.lower()} is already held by {whose}", field=field)
    if kind in SINGLE_VALUED and any(
        i.kind is kind for i in await repository.identifiers_of(session, customer.id)
    ):
        raise IdentifierConflict(f"This customer already has a {kind.value.lower()}", field="kind")
    row = CustomerIdentifier(
        customer_id=customer.id,
        kind=kind,
        value=value,
        verified_at=utcnow() if verified else None,
        self_asserted=self_asserted,
    )
    try:
        # A concurrent request may take the same value between the check and the insert; the
        # unique constraint decides, and the savepoint keeps the rest of the transaction usable.
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        raise IdentifierTaken(
            f"This {kind.value.lower()} is already held by another customer", field=field
        ) from exc
    await record_customer_event(
        session, customer.id, EventKind.IDENTIFIER_ADDED, channel_code=channel_code,
        staff_user_id=staff_user_id, data={"kind": kind.value, "value": value},
    )  # fmt: skip
    return row


async def add_identifier(
    session: AsyncSession,
    viewer: Viewer,
    customer_id: int,
    kind: IdentifierKind,
    value: str,
    *,
    default_region: str,
) -> CustomerIdentifier:
    """Staff add identifiers to anyone; customers add an email or phone to themselves.

    What a customer types about themselves is kept as self-asserted: it does not recognise
    them at a till or in an import until it is verified. Loyalty cards and external ids are
    issued by the business or a marketplace, so only staff (or the system) record them.
    """
    ensure_can_change_customer(viewer, customer_id)
    if not viewer.is_staff and kind not in CUSTOMER_ASSERTABLE:
        raise Forbidden(
            f"Only staff may add a {kind.value.lower()} identifier",
            code="IDENTIFIER_KIND_STAFF_ONLY",
            field="kind",
        )
    normalised = normalise(kind, value, default_region=default_region)
    customer = await live_customer(session, customer_id, "customerId")
    return await attach_identifier(
        session, customer, kind, normalised, staff_user_id=viewer.staff_id,
        self_asserted=not viewer.is_staff,
    )  # fmt: skip


async def verify_identifier(
    session: AsyncSession, viewer: Viewer, identifier_id: int
) -> CustomerIdentifier:
    """Staff confirm an identifier they have checked (a card shown, a code read back)."""
    ensure_staff(viewer)
    row = await repository.identifier_by_id(session, identifier_id)
    if row is None:
        raise NotFound("No such identifier", code="IDENTIFIER_NOT_FOUND", field="identifierId")
    if row.verified_at is None:
        row.verified_at = utcnow()
        await record_customer_event(
            session, row.customer_id, EventKind.IDENTIFIER_VERIFIED, staff_user_id=viewer.staff_id,
            data={"kind": row.kind.value, "value": row.value},
        )  # fmt: skip
    return row


async def recognise_customer(
    session: AsyncSession,
    identifiers: Sequence[IdentifierInput],
    *,
    default_region: str,
    channel_code: str | None = None,
    location_id: int | None = None,
    staff_user_id: int | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Recognition:
    """The customer known by any of `identifiers`, or a new guest profile holding them all.

    Returns ids only, so callers acting for an anonymous shopper (guest checkout, marketplace
    import) learn nothing about the profile. A known customer is not given the other
    identifiers: an unverified email typed at a till must not attach itself to someone's
    profile. When the identifiers lead to several customers, the one found by the most
    trusted kind wins and the others are reported as merge candidates.
    """
    if not identifiers:
        raise InvalidIdentifier(
            "Give at least one identifier", code="REQUIRED", field="identifiers"
        )
    wanted: list[tuple[IdentifierKind, str]] = []
    for index, given in enumerate(identifiers):
        value = normalise(
            given.kind, given.value, default_region=default_region, field=f"identifiers.{index}"
        )
        if (given.kind, value) not in wanted:
            wanted.append((given.kind, value))
    held = await repository.holders(session, wanted)
    rank = {kind: n for n, kind in enumerate(_TRUST)}
    held.sort(key=lambda i: (rank[i.kind], i.id))
    # A value the holder merely typed in about themselves must not hand them someone else's
    # visit or order; such holders are only reported as candidates for staff to review.
    trusted = [i for i in held if i.verified_at is not None or not i.self_asserted]
    unconfirmed = [i.customer_id for i in held if i not in trusted]
    # Identifiers always sit on live customers (merges move them), so no tombstone is found.
    found = list(dict.fromkeys(i.customer_id for i in trusted))
    if found:
        customer_id = found[0]
        await record_customer_event(
            session, customer_id, EventKind.RECOGNISED, channel_code=channel_code,
            location_id=location_id, staff_user_id=staff_user_id,
            data={"by": sorted({i.kind.value for i in held if i.customer_id == customer_id})},
        )  # fmt: skip
        also = list(dict.fromkeys(c for c in [*found[1:], *unconfirmed] if c != customer_id))
        return Recognition(customer_id=customer_id, created=False, also_matched=also)
    customer = Customer(first_name=first_name.strip(), last_name=last_name.strip())
    session.add(customer)
    await session.flush()
    await record_customer_event(
        session, customer.id, EventKind.CREATED_AS_GUEST, channel_code=channel_code,
        location_id=location_id, staff_user_id=staff_user_id,
    )  # fmt: skip
    taken = {(i.kind, i.value) for i in held}
    for kind, value in wanted:
        if (kind, value) in taken:
            continue
        await attach_identifier(
            session, customer, kind, value, staff_user_id=staff_user_id, channel_code=channel_code
        )
    await outbox.emit(session, "customer.created", aggregate_id=customer.id, data={
        "customerId": customer.id, "source": "GUEST", "channel": channel_code,
        "locationId": location_id,
    })  # fmt: skip
    return Recognition(
        customer_id=customer.id, created=True, also_matched=list(dict.fromkeys(unconfirmed))
    )


# What customers may say about themselves; other kinds are issued by the business or a partner.
CUSTOMER_ASSERTABLE = frozenset({IdentifierKind.EMAIL, IdentifierKind.PHONE})

# Most trusted first: a card or marketplace id names one account; emails and phones are shared.
_TRUST = (
    IdentifierKind.LOYALTY_CARD,
    IdentifierKind.EXTERNAL,
    IdentifierKind.EMAIL,
    IdentifierKind.PHONE,
)
