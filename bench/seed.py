"""A large, deterministic catalog inserted with bulk Core statements (seconds, not minutes)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

import app.models  # noqa: F401  (every table, whichever domains exist)
from app.catalog import listing
from app.config import Settings
from app.database import Base, Database
from app.kit.clock import utcnow
from app.models.catalog import (
    Price,
    Product,
    ProductChannel,
    ProductStatus,
    ProductTranslation,
    Variant,
)
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind

CHANNEL = "web"
SIZES = ("S", "M", "L", "XL")
COLOURS = ("Black", "Navy", "Forest", "Sand", "Red", "Grey", "Ochre", "White")
NOUNS = ("Jacket", "Hoodie", "Sneaker", "Boot", "Bag", "Hat", "Sock", "Shirt")
BATCH = 2000


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _insert(conn: AsyncConnection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    target: Table = table if isinstance(table, Table) else table.__table__
    for chunk in _chunks(rows):
        await conn.execute(insert(target), list(chunk))


async def seed_catalog(db: Database, products: int, variants_per_product: int) -> dict[str, int]:
    """Channels web (CAD) and marketplace-us (USD); every product active and published on web,
    titled in English and French, each variant priced in both currencies."""
    rnd = random.Random(20261123)
    now = utcnow()
    channels = [
        {"id": 1, "code": CHANNEL, "name": "Web store", "kind": ChannelKind.WEB,
         "currency_code": "CAD", "default_locale": "en", "return_window_days": 30,
         "is_active": True, "created_at": now},
        {"id": 2, "code": "marketplace-us", "name": "US marketplace",
         "kind": ChannelKind.MARKETPLACE, "currency_code": "USD", "default_locale": "en",
         "return_window_days": 30, "is_active": True, "created_at": now},
    ]  # fmt: skip
    product_rows: list[dict[str, Any]] = []
    translation_rows: list[dict[str, Any]] = []
    publication_rows: list[dict[str, Any]] = []
    variant_rows: list[dict[str, Any]] = []
    price_rows: list[dict[str, Any]] = []
    for pid in range(1, products + 1):
        colour, noun = rnd.choice(COLOURS), rnd.choice(NOUNS)
        product_rows.append(
            {"id": pid, "handle": f"bench-{pid}", "status": ProductStatus.ACTIVE,
             "vendor": "Bench Co.", "product_type": noun,
             "attributes": [{"name": "Colour", "value": colour}],
             "created_at": now, "updated_at": now}
        )  # fmt: skip
        translation_rows += [
            {"product_id": pid, "locale": "en", "title": f"{colour} {noun} {pid}",
             "description": f"A {colour.lower()} {noun.lower()}."},
            {"product_id": pid, "locale": "fr", "title": f"{noun} {colour} {pid}",
             "description": f"Un article {colour.lower()}."},
        ]  # fmt: skip
        publication_rows.append({"product_id": pid, "channel_id": 1, "published_at": now})
        base = rnd.randrange(1900, 30000, 100) - 1
        for position in range(variants_per_product):
            vid = (pid - 1) * variants_per_product + position + 1
            size = SIZES[position % len(SIZES)]
            variant_rows.append(
                {"id": vid, "product_id": pid, "sku": f"B-{pid:06d}-{position}",
                 "barcode": f"9{vid:011d}", "title": size,
                 "options": [{"name": "Size", "value": size}, {"name": "Colour", "value": colour}],
                 "position": position, "created_at": now, "updated_at": now}
            )  # fmt: skip
            price_rows += [
                {"variant_id": vid, "currency_code": "CAD", "amount": base,
                 "compare_at_amount": base + 1000 if pid % 4 == 0 else None, "updated_at": now},
                {"variant_id": vid, "currency_code": "USD", "amount": int(base * 0.73),
                 "compare_at_amount": None, "updated_at": now},
            ]  # fmt: skip
    async with db.engine.begin() as conn:
        await _insert(conn, Channel, channels)
        await _insert(conn, Product, product_rows)
        await _insert(conn, ProductTranslation, translation_rows)
        await _insert(conn, ProductChannel, publication_rows)
        await _insert(conn, Variant, variant_rows)
        await _insert(conn, Price, price_rows)
        await listing.refresh(conn, None, Settings().supported_locales)
        stock = await _seed_stock(conn, rnd, len(variant_rows), variants_per_product, now)
        # Explicit ids leave the sequences behind; move them on so later inserts still work.
        for table in ("channel", "product", "variant", "location"):
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        await conn.execute(text("ANALYZE"))
    return {
        "products": len(product_rows),
        "variants": len(variant_rows),
        "prices": len(price_rows),
        "translations": len(translation_rows),
        "stock_levels": stock,
    }


# Stores around Montréal with click-and-collect, outside the web channel's stock pool: the
# product page asks them for pickup availability. Only every STORE_STOCK_EVERY-th product is
# stocked there, so the listing reads about as many stock rows as with the warehouses alone.
STORES = (
    ("Downtown", 45.5017, -73.5673), ("Plateau", 45.5225, -73.5810),
    ("Old Port", 45.5075, -73.5540), ("Westmount", 45.4850, -73.5970),
    ("Laval", 45.5570, -73.7210), ("Longueuil", 45.5310, -73.5180),
)  # fmt: skip
STORE_STOCK_EVERY = 50


async def _seed_stock(
    conn: AsyncConnection, rnd: random.Random, variants: int, per_product: int, now: Any
) -> int:
    """Two warehouses selling on the web channel, every variant stocked in both, and six
    pickup stores; only when the schema has inventory tables. Levels are written directly,
    without ledger rows: the benchmark reads them and never changes them."""
    levels = Base.metadata.tables.get("stock_level")
    channel_locations = Base.metadata.tables.get("channel_location")
    if levels is None or channel_locations is None:
        return 0
    locations = [
        {"id": i, "code": f"wh-{i}", "name": f"Warehouse {i}", "kind": LocationKind.WAREHOUSE,
         "latitude": 45.5 + i / 100, "longitude": -73.6, "ships": True, "pickup": False,
         "created_at": now, "updated_at": now}
        for i in (1, 2)
    ] + [
        {"id": 3 + i, "code": f"store-{i}", "name": f"{name} store",
         "kind": LocationKind.STORE, "latitude": lat, "longitude": lon, "ships": False,
         "pickup": True, "created_at": now, "updated_at": now}
        for i, (name, lat, lon) in enumerate(STORES)
    ]  # fmt: skip
    await _insert(conn, Location, locations)
    await _insert(conn, channel_locations, [{"channel_id": 1, "location_id": 1},
                                            {"channel_id": 1, "location_id": 2}])  # fmt: skip
    rows = [_level(rnd, v, loc, now) for v in range(1, variants + 1) for loc in (1, 2)]
    store_rnd = random.Random(20261125)
    for pid in range(STORE_STOCK_EVERY, variants // per_product + 1, STORE_STOCK_EVERY):
        for vid in range((pid - 1) * per_product + 1, pid * per_product + 1):
            rows += [_level(store_rnd, vid, 3 + i, now) for i in range(len(STORES))]
    await _insert(conn, levels, rows)
    return len(rows)


def _level(rnd: random.Random, variant_id: int, location_id: int, now: Any) -> dict[str, Any]:
    on_hand = rnd.randrange(0, 40)
    reserved = min(on_hand, rnd.randrange(0, 3))
    return {"variant_id": variant_id, "location_id": location_id, "on_hand": on_hand,
            "reserved": reserved, "updated_at": now}  # fmt: skip
