from __future__ import annotations

from collections.abc import Sequence

from app.catalog import listing
from app.config import Settings
from app.database import Database
from app.models.catalog import (
    Category,
    Price,
    Product,
    ProductCategory,
    ProductChannel,
    ProductStatus,
    ProductTranslation,
    Variant,
)


async def create_category(db: Database, *, handle: str = "shoes", name: str = "Shoes") -> Category:
    async with db.write() as uow:
        category = Category(handle=handle, name=name)
        uow.session.add(category)
    return category


async def create_product(
    db: Database,
    *,
    handle: str = "trail-runner",
    titles: dict[str, str] | None = None,
    status: ProductStatus = ProductStatus.ACTIVE,
    channel_ids: Sequence[int] = (),
    category_ids: Sequence[int] = (),
    variants: int = 2,
    prices: dict[str, int] | None = None,
    vendor: str = "Acme",
) -> Product:
    """A product with `variants` variants (SKU `<HANDLE>-<n>`), each priced in `prices`."""
    prices = {"CAD": 4999} if prices is None else prices
    async with db.write() as uow:
        session = uow.session
        product = Product(handle=handle, status=status, vendor=vendor, attributes=[])
        session.add(product)
        await session.flush()
        for locale, title in (titles or {"en": handle.replace("-", " ").title()}).items():
            session.add(
                ProductTranslation(
                    product_id=product.id,
                    locale=locale,
                    title=title,
                    description=f"{title} ({locale})",
                )
            )
        session.add_all(ProductChannel(product_id=product.id, channel_id=c) for c in channel_ids)
        session.add_all(ProductCategory(product_id=product.id, category_id=c) for c in category_ids)
        for n in range(variants):
            variant = Variant(
                product_id=product.id,
                sku=f"{handle.upper()}-{n}",
                position=n,
                title=f"Size {n}",
                options=[{"name": "Size", "value": str(n)}],
            )
            session.add(variant)
            await session.flush()
            session.add_all(
                Price(variant_id=variant.id, currency_code=cur, amount=amount + n)
                for cur, amount in prices.items()
            )
        await session.flush()
        await listing.refresh(session, [product.id], Settings().supported_locales)
    return product
