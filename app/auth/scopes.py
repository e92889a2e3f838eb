"""The scopes a partner key can hold. A rule naming a scope not listed here is a bug."""

from __future__ import annotations

INVENTORY_READ = "inventory:read"
CUSTOMERS_READ = "customers:read"
ORDERS_WRITE = "orders:write"

SCOPES: dict[str, str] = {
    INVENTORY_READ: "Read stock levels (the inventory feed).",
    CUSTOMERS_READ: "Read customer profiles and timelines (CRM and CDP sync).",
    ORDERS_WRITE: "Import marketplace orders (marketplace connectors).",
}
