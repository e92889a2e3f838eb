"""A deterministic apparel catalog: 160 products, 4 variants each, two locales, two currencies."""

from __future__ import annotations

from app.catalog import listing
from app.config import get_settings
from app.demo.context import DemoContext
from app.models.catalog import (
    Category,
    Price,
    Product,
    ProductCategory,
    ProductChannel,
    ProductMedia,
    ProductStatus,
    ProductTranslation,
    Variant,
)

# handle, English name, French name, size scale, price range (CAD cents)
CATEGORIES = [
    ("t-shirts", "T-shirts", "T-shirts", ["XS", "S", "M", "L"], (1900, 4500)),
    ("hoodies", "Hoodies", "Kangourous", ["S", "M", "L", "XL"], (5500, 11000)),
    ("jackets", "Jackets", "Manteaux", ["S", "M", "L", "XL"], (12000, 34000)),
    ("sneakers", "Sneakers", "Espadrilles", ["8", "9", "10", "11"], (8000, 19000)),
    ("boots", "Winter boots", "Bottes d'hiver", ["7", "8", "9", "10"], (14000, 28000)),
    ("bags", "Bags", "Sacs", ["Small", "Medium", "Large", "Travel"], (3500, 16000)),
    ("hats", "Hats", "Chapeaux", ["S/M", "M/L", "L/XL", "One size"], (1800, 4500)),
    ("socks", "Socks", "Chaussettes", ["S", "M", "L", "XL"], (900, 2400)),
]
COLOURS = [("Black", "Noir"), ("Navy", "Marine"), ("Forest", "Forêt"), ("Sand", "Sable"),
           ("Red", "Rouge"), ("Grey", "Gris"), ("Ochre", "Ocre"), ("White", "Blanc")]  # fmt: skip
STYLES = [("Mont-Royal", "Mont-Royal"), ("Lachine", "Lachine"), ("Saint-Laurent", "Saint-Laurent"),
          ("Plateau", "Plateau"), ("Verdun", "Verdun"), ("Rosemont", "Rosemont"),
          ("Outremont", "Outremont"), ("Mile End", "Mile End"), ("Griffintown", "Griffintown"),
          ("Hochelaga", "Hochelaga")]  # fmt: skip
VENDORS = ["Nordlys", "Fleuve Outfitters", "Boréal Supply", "Urbain Co."]
MATERIALS = [("Organic cotton", "Coton biologique"), ("Merino wool", "Laine mérinos"),
             ("Recycled polyester", "Polyester recyclé"), ("Leather", "Cuir")]  # fmt: skip
PRODUCTS_PER_CATEGORY = 20
USD_PER_CAD = 0.73
ACTIVE = ProductStatus.ACTIVE


async def load(ctx: DemoContext) -> None:
    session, rnd = ctx.session, ctx.random
    sellable = [ctx.channels[c] for c in ("web", "app", "pos")]
    marketplace = ctx.channels["marketplace-us"]
    for position, (handle, name_en, name_fr, sizes, (low, high)) in enumerate(CATEGORIES):
        category = Category(handle=handle, name=name_en, position=position)
        session.add(category)
        await session.flush()
        for n in range(PRODUCTS_PER_CATEGORY):
            style_en, style_fr = STYLES[n % len(STYLES)]
            colour_en, colour_fr = COLOURS[(n + position) % len(COLOURS)]
            material_en, material_fr = rnd.choice(MATERIALS)
            product = Product(
                handle=f"{handle}-{style_en.lower().replace(' ', '-')}-{colour_en.lower()}-{n}",
                # The last of each category is a draft, hidden from shoppers.
                status=ProductStatus.DRAFT if n == PRODUCTS_PER_CATEGORY - 1 else ACTIVE,
                vendor=rnd.choice(VENDORS),
                product_type=name_en,
                attributes=[{"name": "Material", "value": material_en},
                            {"name": "Colour", "value": colour_en}],
            )  # fmt: skip
            session.add(product)
            await session.flush()
            session.add_all([
                ProductTranslation(product_id=product.id, locale="en",
                                   title=f"{style_en} {name_en.rstrip('s')} – {colour_en}",
                                   description=f"{material_en}, made to last Montréal winters."),
                ProductTranslation(product_id=product.id, locale="fr",
                                   title=f"{name_fr.rstrip('s')} {style_fr} – {colour_fr}",
                                   description=f"{material_fr}, fait pour l'hiver montréalais."),
                ProductCategory(product_id=product.id, category_id=category.id),
                ProductMedia(product_id=product.id, url=f"/media/{product.handle}.jpg",
                             alt_text=f"{style_en} {name_en} in {colour_en}", position=0),
            ])  # fmt: skip
            channels = sellable + ([marketplace] if n % 3 != 0 else [])
            session.add_all(
                ProductChannel(product_id=product.id, channel_id=c.id) for c in channels
            )
            base = rnd.randrange(low, high, 100) - 1
            for v, size in enumerate(sizes):
                variant = Variant(
                    product_id=product.id,
                    sku=f"{handle[:3].upper()}-{position:02d}{n:03d}-{v}",
                    barcode=f"0{position:02d}{n:04d}{v:05d}",
                    title=size,
                    options=[{"name": "Size", "value": size},
                             {"name": "Colour", "value": colour_en}],
                    position=v,
                )  # fmt: skip
                session.add(variant)
                ctx.variants.append(variant)
            await session.flush()
            for variant in ctx.variants[-len(sizes) :]:
                compare_at = base + 2000 if n % 5 == 0 else None
                session.add_all([
                    Price(variant_id=variant.id, currency_code="CAD", amount=base,
                          compare_at_amount=compare_at),
                    Price(variant_id=variant.id, currency_code="USD",
                          amount=int(round(base * USD_PER_CAD, -2)) - 1),
                ])  # fmt: skip
            ctx.products.append(product)
    await session.flush()
    await listing.refresh(session, None, get_settings().supported_locales)
