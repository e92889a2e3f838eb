"""Read models of returns: slotted rows, read with SQLAlchemy Core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.models.returns import ReturnStatus


@dataclass(frozen=True, slots=True)
class ReturnLineView:
    id: int
    return_id: int
    order_line_id: int
    variant_id: int
    sku: str
    quantity: int
    restocked: int
    damaged: int


@dataclass(slots=True)
class ReturnRead:
    id: int
    number: str
    order_id: int
    order_number: str
    customer_id: int | None
    status: ReturnStatus
    location_id: int
    by_mail: bool
    reason: str
    created_at: datetime
    received_at: datetime | None
    lines: list[ReturnLineView] = field(default_factory=list)
