"""Checks shared by every stock change: who may change stock where, and what input is sane."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import can_act_at_location
from app.auth.viewer import Viewer
from app.errors import Invalid
from app.inventory import repository
from app.inventory.errors import (
    DuplicateSku,
    InvalidQuantity,
    LocationClosed,
    LocationForbidden,
    UnknownLocation,
    UnknownSku,
)
from app.locations import repository as location_repository
from app.locations.views import LocationView
from app.models.location import LocationStatus

# Far above any real shelf, far below the 32-bit columns' limit.
MAX_QUANTITY = 1_000_000
MAX_LINES = 250
MAX_REASON = 500
MAX_REFERENCE = 200


@dataclass(frozen=True, slots=True)
class StockLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ResolvedLine:
    variant_id: int
    sku: str
    quantity: int


def check_quantity(quantity: int, field: str, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if not low <= quantity <= MAX_QUANTITY:
        floor = "zero or more" if allow_zero else "at least 1"
        raise InvalidQuantity(f"The quantity must be {floor} and at most {MAX_QUANTITY}",
                              field=field)  # fmt: skip
    return quantity


def check_text(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters", code="TOO_LONG", field=field)
    return value


async def location_for_change(
    session: AsyncSession,
    actor: Viewer | None,
    location_id: int,
    field: str,
    *,
    winding_down: bool = False,
) -> LocationView:
    """The location, if it exists, still operates and the actor may change stock there.

    `actor` is None for the system itself (checkout, returns), which may change stock anywhere.
    `winding_down` admits closed locations, for settling what was committed before they
    closed (releasing or shipping reserved units), so nothing stays stuck there.
    """
    location = await location_repository.location_by_id(session, location_id)
    if location is None:
        raise UnknownLocation("No such location", field=field)
    if actor is not None and not can_act_at_location(actor, location_id):
        raise LocationForbidden(f"You may not change stock at {location.code}", field=field)
    if location.status is LocationStatus.CLOSED and not winding_down:
        raise LocationClosed(f"{location.code} is closed for good", field=field)
    return location


async def resolve_lines(
    session: AsyncSession, lines: Sequence[StockLine], field: str = "lines"
) -> list[ResolvedLine]:
    if not lines:
        raise Invalid("Give at least one line", code="REQUIRED", field=field)
    if len(lines) > MAX_LINES:
        raise Invalid(f"At most {MAX_LINES} lines", code="TOO_MANY_LINES", field=field)
    seen: set[str] = set()
    for i, line in enumerate(lines):
        check_quantity(line.quantity, f"{field}.{i}.quantity")
        if line.sku in seen:
            raise DuplicateSku(f"SKU '{line.sku}' is given twice", field=f"{field}.{i}.sku")
        seen.add(line.sku)
    found = await repository.variant_ids_by_sku(session, seen)
    for i, line in enumerate(lines):
        if line.sku not in found:
            raise UnknownSku(f"No variant with SKU '{line.sku}'", field=f"{field}.{i}.sku")
    return [ResolvedLine(found[line.sku], line.sku, line.quantity) for line in lines]


async def variant_id_for(session: AsyncSession, sku: str, field: str = "sku") -> int:
    found = await repository.variant_ids_by_sku(session, [sku])
    if sku not in found:
        raise UnknownSku(f"No variant with SKU '{sku}'", field=field)
    return found[sku]
