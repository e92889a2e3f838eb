"""The documents the benchmark sends, and what a correct answer to each looks like."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Two selections of the same list: `card` is what a storefront listing shows (close in size to
# the ~1,650 fields of the calibration runs in CONVENTIONS.md), `detail` asks for every
# variant field a product page would.
SHAPES = {
    "card": (
        "id handle title",
        "id sku title price { amount currencyCode }",
        "inventory(channel: $channel) { available }",
    ),
    "detail": (
        "id handle title vendor productType",
        "id sku title barcode position selectedOptions { name value } "
        "price { amount currencyCode } compareAtPrice { amount currencyCode }",
        "inventory(channel: $channel) { available onHand reserved }",
    ),
}
LISTING = """
query Listing($channel: String!, $first: Int!) {
  products(first: $first, channel: $channel) {
    edges { cursor node { %s variants { %s %s } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# One product as its page shows it: every variant with its price, stock on the channel and the
# five nearest stores to collect it from.
PRODUCT_PAGE = """
query ProductPage($handle: String!, $channel: String!, $near: GeoPointInput!) {
  product(handle: $handle, channel: $channel) {
    id handle title description vendor productType
    variants {
      id sku title barcode selectedOptions { name value }
      price(channel: $channel) { amount currencyCode }
      compareAtPrice(channel: $channel) { amount currencyCode }
      inventory(channel: $channel) { available onHand reserved }
      pickupAvailability(near: $near, first: 5) { distanceKm available location { id name } }
    }
  }
}
"""
# Stocked in the seeded stores (bench/seed.py stocks every 50th product there).
PRODUCT_PAGE_HANDLE = "bench-50"
PLACE_DARMES = {"latitude": 45.5088, "longitude": -73.5617}

SCENARIOS = ("listing", "product-page")


def schema_has_inventory() -> bool:
    from schema.schema import schema

    variant = schema._schema.type_map.get("ProductVariant")
    return variant is not None and "inventory" in getattr(variant, "fields", {})


def request_body(scenario: str, shape: str, availability: bool, first: int) -> dict[str, Any]:
    if scenario == "product-page":
        variables = {"handle": PRODUCT_PAGE_HANDLE, "channel": "web", "near": PLACE_DARMES}
        return {"query": PRODUCT_PAGE, "variables": variables}
    product, variant, stock = SHAPES[shape]
    document = LISTING % (product, variant, stock if availability else "")
    return {"query": document, "variables": {"channel": "web", "first": first}}


def count_fields(value: Any) -> int:
    """Field results in a response: every key of every object below `data`."""
    if isinstance(value, dict):
        return len(value) + sum(count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


@dataclass(slots=True)
class Answer:
    products: int
    variants: int
    fields: int
    extra: str = ""


def check_answer(scenario: str, data: dict[str, Any]) -> Answer:
    """Refuse an answer that is not what the scenario asks for: a fast wrong answer is no
    result."""
    if scenario == "product-page":
        product = data["product"]
        if product is None:
            raise RuntimeError(f"no product {PRODUCT_PAGE_HANDLE!r}")
        variants = product["variants"]
        pickups = sum(len(v["pickupAvailability"]) for v in variants)
        if not variants or pickups == 0:
            raise RuntimeError("the product page shows no variants or no pickup stores")
        return Answer(1, len(variants), count_fields(data), f", {pickups} pickup entries")
    edges = data["products"]["edges"]
    variants = sum(len(e["node"]["variants"]) for e in edges)
    return Answer(len(edges), variants, count_fields(data))
