"""The customer timeline: every domain records what happened to a customer through here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.kit.clock import utcnow
from app.models.customer import CustomerEvent


class EventKind(StrEnum):
    """Kinds this domain records; later domains add their own strings (ORDER_PLACED, ...)."""

    REGISTERED = "REGISTERED"
    CREATED_AS_GUEST = "CREATED_AS_GUEST"
    RECOGNISED = "RECOGNISED"
    IDENTIFIER_ADDED = "IDENTIFIER_ADDED"
    IDENTIFIER_VERIFIED = "IDENTIFIER_VERIFIED"
    ADDRESS_ADDED = "ADDRESS_ADDED"
    CONSENT_CHANGED = "CONSENT_CHANGED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    PASSWORD_RESET = "PASSWORD_RESET"
    MERGED = "MERGED"
    PROFILE_UPDATED = "PROFILE_UPDATED"
    DATA_EXPORTED = "DATA_EXPORTED"
    ERASED = "ERASED"


async def record_customer_event(
    session: AsyncSession,
    customer_id: int,
    kind: str,
    *,
    channel_code: str | None = None,
    location_id: int | None = None,
    staff_user_id: int | None = None,
    data: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> CustomerEvent:
    """Append one entry to a customer's timeline, in the caller's transaction.

    `data` must be JSON-serialisable; personal data in it is cleared when the customer is erased.
    """
    event = CustomerEvent(
        customer_id=customer_id,
        kind=str(kind),
        channel_code=channel_code,
        location_id=location_id,
        staff_user_id=staff_user_id,
        data=data or {},
        occurred_at=occurred_at or utcnow(),
    )
    session.add(event)
    await session.flush()
    return event
