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


FIELD_COSTS: dict[str, FieldCost] = {
    # A product has a handful of variants (four in the demo catalog), images and categories.
    "Product.variants": FieldCost(list_size=5),
    "Product.media": FieldCost(list_size=5),
    "Product.categories": FieldCost(list_size=3),
    # Answered from the store list and stock per location, costlier than an object.
    "ProductVariant.pickupAvailability": FieldCost(cost=2),
    "Query.channels": FieldCost(list_size=10),
    "Query.nodes": FieldCost(list_size=50),
}

# Free-text arguments searched with LIKE: far shorter than other strings.
SEARCH_ARGUMENTS = frozenset({"search"})

# The list fields of a connection type, multiplied by the connection's page size.
CONNECTION_LIST_FIELDS = frozenset({"edges", "nodes"})
