"""The single customer view: customers with the relations a read asks for, one statement per
relation for a whole list. Who may read whom is decided in app.auth.access: a customer reads
only themselves; staff read anyone; partners with the customers:read scope likewise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.auth.access import ensure_can_read_customer
from app.auth.viewer import Viewer
from app.customers import repository
from app.customers.service import current_consents
from app.customers.views import AddressView, ConsentView, CustomerView, IdentifierView
from app.database import Database


@dataclass(frozen=True, slots=True)
class CustomerParts:
    identifiers: bool = False
    addresses: bool = False
    consents: bool = False
    channels_seen: bool = False
    merged: bool = False


@dataclass(slots=True)
class CustomerRead:
    view: CustomerView
    identifiers: list[IdentifierView] = field(default_factory=list)
    addresses: list[AddressView] = field(default_factory=list)
    # One per purpose, when consents were asked for.
    consents: list[ConsentView] = field(default_factory=list)
    channels_seen: list[str] = field(default_factory=list)
    # Profiles merged into this one.
    merged_ids: list[int] = field(default_factory=list)


async def customers_with(
    db: Database, viewer: Viewer, views: Sequence[CustomerView], parts: CustomerParts
) -> list[CustomerRead]:
    """`views` with the parts asked for; every one must be readable by `viewer`."""
    for view in views:
        ensure_can_read_customer(viewer, view.id)
    ids = [v.id for v in views]
    identifiers = await repository.identifiers_for(db, ids) if parts.identifiers else {}
    addresses = await repository.addresses_for(db, ids) if parts.addresses else {}
    consents = await repository.consent_records_for(db, ids) if parts.consents else {}
    channels = await repository.channels_seen_for(db, ids) if parts.channels_seen else {}
    merged = await repository.merged_from_for(db, ids) if parts.merged else {}
    return [
        CustomerRead(
            view=v,
            identifiers=identifiers.get(v.id, []),
            addresses=addresses.get(v.id, []),
            consents=current_consents(consents.get(v.id, [])) if parts.consents else [],
            channels_seen=channels.get(v.id, []),
            merged_ids=merged.get(v.id, []),
        )
        for v in views
    ]
