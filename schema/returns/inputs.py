from __future__ import annotations

import strawberry


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
