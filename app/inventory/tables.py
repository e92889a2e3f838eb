"""Column collections of the inventory tables, shared by the inventory repositories."""

from __future__ import annotations

from app.models.catalog import Variant
from app.models.inventory import (
    ChannelLocation,
    ChannelStockPool,
    InventoryMovement,
    InventoryTransfer,
    InventoryTransferLine,
    StockLevel,
)
from app.models.location import Location

S = StockLevel.__table__.c
M = InventoryMovement.__table__.c
V = Variant.__table__.c
L = Location.__table__.c
CL = ChannelLocation.__table__.c
POOL = ChannelStockPool.__table__.c
TL = InventoryTransferLine.__table__.c
T = InventoryTransfer.__table__.c

LEVEL_COLUMNS = (
    S.variant_id, S.location_id, S.on_hand, S.reserved, S.safety_stock, S.incoming, S.updated_at,
)  # fmt: skip
