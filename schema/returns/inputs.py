from __future__ import annotations

import strawberry

from schema.returns.types import ReturnDispositionEnum


@strawberry.input
class ReturnLineInput:
    line_id: strawberry.ID = strawberry.field(description="The OrderLine ID.")
    quantity: int


@strawberry.input
class ReturnCreateInput:
    order_id: strawberry.ID
    lines: list[ReturnLineInput]
    reason: str = ""
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="The store (or warehouse) the units are handed in at."
    )
    by_mail: bool = strawberry.field(
        default=False, description="Sent by post to the warehouse that takes mailed returns."
    )


@strawberry.input
class ReturnReceiveLineInput:
    line_id: strawberry.ID = strawberry.field(description="The OrderLine ID.")
    quantity: int
    disposition: ReturnDispositionEnum  # type: ignore[valid-type]


@strawberry.input
class ReturnReceiveInput:
    return_id: strawberry.ID
    idempotency_key: str = strawberry.field(
        description="A retry with the key that received the return changes nothing more."
    )
    lines: list[ReturnReceiveLineInput]
