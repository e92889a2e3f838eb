"""What fields cost. Objects cost 1, scalars 0; a connection or a list with a `first` (or
`last`) argument multiplies its items' cost by that number (the default page size when
absent). Fields whose cost the defaults misjudge are listed here, by `Type.field`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldCost:
    # Cost of the field itself (per item for lists); None keeps the default (1 or 0).
    cost: int | None = None
    # Items assumed for a list without a size argument; None means 1.
    list_size: int | None = None
    # Or the setting that caps the list (its value is read per request).
    list_size_setting: str | None = None


FIELD_COSTS: dict[str, FieldCost] = {
    # A product has a handful of variants (four in the demo catalog), images and categories.
    "Product.variants": FieldCost(list_size=5),
    "Product.media": FieldCost(list_size=5),
    "Product.categories": FieldCost(list_size=3),
    # Answered from the store list and stock per location, costlier than an object.
    "ProductVariant.pickupAvailability": FieldCost(cost=2),
    "Query.channels": FieldCost(list_size=10),
    "Query.nodes": FieldCost(list_size=50),
    # A category tree has tens of nodes; nothing caps it, so a generous count.
    "Query.categories": FieldCost(list_size=100),
    # A cart holds at most CART_LINES_MAX lines, and at most one warning per line.
    "Cart.lines": FieldCost(list_size_setting="cart_lines_max"),
    "Cart.warnings": FieldCost(list_size_setting="cart_lines_max"),
    # Codes are added DISCOUNT_CODES_BULK_MAX at a time, as often as staff like: nothing bounds
    # them. The count keeps a staff page of ten promotions with their codes under the maximum
    # cost; a promotion with more codes is under-priced (the list has no paging).
    "Promotion.codes": FieldCost(list_size=500),
}

# Settings named by `list_size_setting` above, read into Limits.list_sizes.
LIST_SIZE_SETTINGS = frozenset(
    rule.list_size_setting for rule in FIELD_COSTS.values() if rule.list_size_setting
)

# Free-text arguments searched with LIKE: far shorter than other strings.
SEARCH_ARGUMENTS = frozenset({"search"})

# The list fields of a connection type, multiplied by the connection's page size.
CONNECTION_LIST_FIELDS = frozenset({"edges", "nodes"})
