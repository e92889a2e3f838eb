"""Read models of the customers domain: light rows for the API, filled by the repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.models.customer import ConsentPurpose, IdentifierKind


@dataclass(slots=True)
class CustomerView:
    id: int
    first_name: str
    last_name: str
    has_account: bool
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None


@dataclass(slots=True)
class IdentifierView:
    id: int
    customer_id: int
    kind: IdentifierKind
    value: str
    verified_at: datetime | None
    created_at: datetime


@dataclass(slots=True)
class AddressView:
    id: int
    customer_id: int
    first_name: str
    last_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str
    phone: str | None


@dataclass(slots=True)
class ConsentRecordView:
    purpose: ConsentPurpose
    granted: bool
    source: str
    recorded_at: datetime


@dataclass(slots=True)
class ConsentView:
    """The current decision for one purpose, with every decision before it (newest first)."""

    purpose: ConsentPurpose
    granted: bool
    updated_at: datetime | None
    history: list[ConsentRecordView] = field(default_factory=list)


@dataclass(slots=True)
class EventView:
    id: int
    customer_id: int
    kind: str
    channel_code: str | None
    location_id: int | None
    staff_user_id: int | None
    data: dict[str, Any]
    occurred_at: datetime


@dataclass(slots=True)
class Recognition:
    """What recognition found: a customer id only, so no profile data reaches the caller."""

    customer_id: int
    created: bool
    # Other customers that also hold one of the identifiers: candidates for a merge.
    also_matched: list[int] = field(default_factory=list)
