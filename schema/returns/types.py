"""Return types: built from `app.returns.views.ReturnRead` with plain attributes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app.models.returns import ReturnDisposition, ReturnStatus
from app.returns.views import ReturnRead
from schema.errors import UserError
from schema.relay import to_global_id

ReturnStatusEnum = strawberry.enum(ReturnStatus, name="ReturnStatus")
ReturnDispositionEnum = strawberry.enum(
    ReturnDisposition,
    name="ReturnDisposition",
    description="RESTOCK: sellable again at once where received; DAMAGED: recorded, not sellable.",
)


@strawberry.type
class ReturnLine:
    id: strawberry.ID
    line_id: strawberry.ID = strawberry.field(description="The OrderLine ID.")
    sku: str
    quantity: int = strawberry.field(description="Units being returned.")
    restocked: int = strawberry.field(description="Units received back into sellable stock.")
    damaged: int = strawberry.field(description="Units received damaged, not sellable.")


@strawberry.type(description="Units of an order coming back, at a store or by mail.")
class Return:
    id: strawberry.ID
    number: str
    status: ReturnStatusEnum  # type: ignore[valid-type]
    order_id: strawberry.ID
    order_number: str
    location_id: strawberry.ID = strawberry.field(
        description="The store the units are handed in at, or the warehouse they are mailed to."
    )
    by_mail: bool
    reason: str
    lines: list[ReturnLine]
    created_at: datetime
    received_at: datetime | None


@strawberry.type
class ReturnPayload:
    return_: Return | None = strawberry.field(name="return")
    user_errors: list[UserError]


def build_return(read: ReturnRead) -> Return:
    return Return(
        id=strawberry.ID(to_global_id("Return", read.id)),
        number=read.number,
        status=read.status,
        order_id=strawberry.ID(to_global_id("Order", read.order_id)),
        order_number=read.order_number,
        location_id=strawberry.ID(to_global_id("Location", read.location_id)),
        by_mail=read.by_mail,
        reason=read.reason,
        lines=[
            ReturnLine(
                id=strawberry.ID(to_global_id("ReturnLine", ln.id)),
                line_id=strawberry.ID(to_global_id("OrderLine", ln.order_line_id)),
                sku=ln.sku,
                quantity=ln.quantity,
                restocked=ln.restocked,
                damaged=ln.damaged,
            )
            for ln in read.lines
        ],
        created_at=read.created_at,
        received_at=read.received_at,
    )
