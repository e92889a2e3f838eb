from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from app.errors import DomainError, Invalid
from app.events.broker import Message
from app.inventory.events import TOPIC
from app.inventory.views import available
from schema.context import Info
from schema.errors import ApiError
from schema.inventory.types import InventoryChange
from schema.live import live_messages
from schema.permissions import Public
from schema.relay import decode_id, to_global_id

MAX_FILTER_VALUES = 100


def _change(message: Message) -> InventoryChange:
    on_hand, reserved, safety = message["on_hand"], message["reserved"], message["safety_stock"]
    return InventoryChange(
        sku=message["sku"],
        variant_id=strawberry.ID(to_global_id("ProductVariant", message["variant_id"])),
        location_id=strawberry.ID(to_global_id("Location", message["location_id"])),
        location_code=message["location_code"],
        on_hand=on_hand,
        reserved=reserved,
        safety_stock=safety,
        incoming=message["incoming"],
        available=available(on_hand, reserved, safety),
        updated_at=datetime.fromisoformat(message["updated_at"]),
    )


def _filters(
    skus: list[str] | None, location_ids: list[strawberry.ID] | None
) -> tuple[set[str], set[int]]:
    if len(skus or ()) > MAX_FILTER_VALUES or len(location_ids or ()) > MAX_FILTER_VALUES:
        raise Invalid(f"At most {MAX_FILTER_VALUES} SKUs and {MAX_FILTER_VALUES} locations",
                      code="LIMIT_EXCEEDED", field="skus")  # fmt: skip
    locations = {
        decode_id(i, "Location", f"locationIds.{n}") for n, i in enumerate(location_ids or ())
    }
    return set(skus or ()), locations


@strawberry.type
class InventorySubscription:
    @strawberry.subscription(
        permission_classes=[Public],
        description="The new quantities of stock levels after every committed change, "
        "narrowed to some SKUs and/or locations.",
    )
    async def inventory_changed(
        self,
        info: Info,
        skus: list[str] | None = None,
        location_ids: list[strawberry.ID] | None = None,
    ) -> AsyncGenerator[InventoryChange, None]:
        try:
            wanted_skus, wanted_locations = _filters(skus, location_ids)
        except DomainError as error:
            # Subscription results bypass the error-coding extension, so the code goes here.
            raise ApiError(error.message, error.code) from error
        async for message in live_messages(info, TOPIC):
            if wanted_skus and message["sku"] not in wanted_skus:
                continue
            if wanted_locations and message["location_id"] not in wanted_locations:
                continue
            yield _change(message)
