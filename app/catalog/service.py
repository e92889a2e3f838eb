"""Catalog rules: creating and changing products, variants and prices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import listing, repository
from app.channels.service import ChannelDirectory
from app.errors import Conflict, Invalid, NotFound
from app.kit.money import to_minor, validate_currency
from app.models.catalog import (
    Price,
    Product,
    ProductMedia,
    ProductStatus,
    ProductTranslation,
    Variant,
)

HANDLE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_VARIANT_OPTIONS = 3


class UnknownLocale(Invalid):
    code = "UNKNOWN_LOCALE"


@dataclass(frozen=True, slots=True)
class TranslationInput:
    locale: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class MediaInput:
    url: str
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class PriceInput:
    currency_code: str
    amount: Decimal
    compare_at_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ProductInput:
    """Fields left as None are unchanged on update."""

    handle: str | None = None
    status: ProductStatus | None = None
    vendor: str | None = None
    product_type: str | None = None
    attributes: Sequence[tuple[str, str]] | None = None
    translations: Sequence[TranslationInput] | None = None
    category_handles: Sequence[str] | None = None
    channel_codes: Sequence[str] | None = None
    media: Sequence[MediaInput] | None = None


@dataclass(frozen=True, slots=True)
class VariantInput:
    sku: str | None = None
    title: str | None = None
    barcode: str | None = None
    options: Sequence[tuple[str, str]] | None = None
    prices: Sequence[PriceInput] | None = None


def check_locale(locale: str, supported: Sequence[str], field: str = "locale") -> str:
    if locale not in supported:
        raise UnknownLocale(
            f"Locale '{locale}' is not supported; use one of {', '.join(supported)}", field=field
        )
    return locale


def _check_handle(handle: str) -> str:
    handle = handle.strip()
    if not HANDLE_PATTERN.match(handle) or len(handle) > 128:
        raise Invalid(
            "A handle is lowercase letters, digits and single dashes (at most 128)",
            code="INVALID_HANDLE",
            field="handle",
        )
    return handle


def _check_translations(
    translations: Sequence[TranslationInput], supported: Sequence[str]
) -> list[TranslationInput]:
    seen: set[str] = set()
    for i, t in enumerate(translations):
        check_locale(t.locale, supported, field=f"translations.{i}.locale")
        if t.locale in seen:
            raise Invalid(
                f"Locale '{t.locale}' is given twice",
                code="DUPLICATE_LOCALE",
                field=f"translations.{i}.locale",
            )
        if not t.title.strip() or len(t.title) > 300:
            raise Invalid(
                "A title needs 1 to 300 characters",
                code="INVALID_TITLE",
                field=f"translations.{i}.title",
            )
        seen.add(t.locale)
    return list(translations)


def _pairs(pairs: Sequence[tuple[str, str]], field: str) -> list[dict[str, str]]:
    names: set[str] = set()
    result = []
    for i, (name, value) in enumerate(pairs):
        name, value = name.strip(), value.strip()
        if not name or not value:
            raise Invalid(
                "Names and values must not be empty", code="INVALID", field=f"{field}.{i}"
            )
        if name.lower() in names:
            raise Invalid(f"'{name}' is given twice", code="DUPLICATE_NAME", field=f"{field}.{i}")
        names.add(name.lower())
        result.append({"name": name, "value": value})
    return result


async def _category_ids(session: AsyncSession, handles: Sequence[str]) -> list[int]:
    found = await repository.category_ids_for_handles(session, handles)
    missing = [h for h in handles if h not in found]
    if missing:
        raise NotFound(
            f"Unknown categories: {', '.join(missing)}",
            code="UNKNOWN_CATEGORY",
            field="categoryHandles",
        )
    return [found[h] for h in dict.fromkeys(handles)]


def _media(product_id: int, media: Sequence[MediaInput]) -> list[ProductMedia]:
    rows = []
    for i, m in enumerate(media):
        if not m.url.startswith(("https://", "http://", "/")) or len(m.url) > 1000:
            raise Invalid(
                "A media URL must be an http(s) URL or an absolute path",
                code="INVALID_URL",
                field=f"media.{i}.url",
            )
        rows.append(ProductMedia(product_id=product_id, url=m.url, alt_text=m.alt_text, position=i))
    return rows


async def _apply_product(
    session: AsyncSession,
    product: Product,
    data: ProductInput,
    channels: ChannelDirectory,
    supported_locales: Sequence[str],
) -> None:
    if data.handle is not None:
        handle = _check_handle(data.handle)
        if await repository.handle_taken(session, handle, except_id=product.id):
            raise Conflict(f"Handle '{handle}' is taken", code="DUPLICATE_HANDLE", field="handle")
        product.handle = handle
    if data.status is not None:
        product.status = data.status
    if data.vendor is not None:
        product.vendor = data.vendor.strip()
    if data.product_type is not None:
        product.product_type = data.product_type.strip()
    if data.attributes is not None:
        product.attributes = _pairs(data.attributes, "attributes")
    category_ids = (
        await _category_ids(session, data.category_handles)
        if data.category_handles is not None
        else None
    )
    channel_ids = (
        [
            channels.by_code(code, field="channelCodes").id
            for code in dict.fromkeys(data.channel_codes)
        ]
        if data.channel_codes is not None
        else None
    )
    translations = (
        _check_translations(data.translations, supported_locales)
        if data.translations is not None
        else None
    )
    media = _media(product.id, data.media) if data.media is not None else None
    await session.flush()
    if translations is not None:
        existing = await repository.translations_of(session, product.id)
        for t in translations:
            row = existing.get(t.locale)
            if row is None:
                session.add(
                    ProductTranslation(
                        product_id=product.id,
                        locale=t.locale,
                        title=t.title.strip(),
                        description=t.description,
                    )
                )
            else:
                row.title, row.description = t.title.strip(), t.description
    if category_ids is not None:
        await repository.replace_categories(session, product.id, category_ids)
    if channel_ids is not None:
        await repository.replace_channels(session, product.id, channel_ids)
    if media is not None:
        await repository.replace_media(session, product.id, media)
    await session.flush()
    await listing.refresh(session, [product.id], supported_locales)


async def create_product(
    session: AsyncSession,
    data: ProductInput,
    channels: ChannelDirectory,
    supported_locales: Sequence[str],
) -> Product:
    if data.handle is None:
        raise Invalid("A handle is required", code="REQUIRED", field="handle")
    if not data.translations:
        raise Invalid(
            "At least one translation with a title is required",
            code="REQUIRED",
            field="translations",
        )
    product = Product(
        handle=_check_handle(data.handle), status=data.status or ProductStatus.DRAFT, attributes=[]
    )
    if await repository.handle_taken(session, product.handle):
        raise Conflict(
            f"Handle '{product.handle}' is taken", code="DUPLICATE_HANDLE", field="handle"
        )
    session.add(product)
    await session.flush()
    await _apply_product(session, product, data, channels, supported_locales)
    return product


async def update_product(
    session: AsyncSession,
    product_id: int,
    data: ProductInput,
    channels: ChannelDirectory,
    supported_locales: Sequence[str],
) -> Product:
    product = await repository.get_product(session, product_id)
    if product is None:
        raise NotFound("No such product", field="id")
    await _apply_product(session, product, data, channels, supported_locales)
    return product


def _price_rows(prices: Sequence[PriceInput]) -> dict[str, tuple[int, int | None]]:
    rows: dict[str, tuple[int, int | None]] = {}
    for i, p in enumerate(prices):
        currency = validate_currency(p.currency_code, field=f"prices.{i}.currencyCode")
        if currency in rows:
            raise Invalid(
                f"{currency} is given twice",
                code="DUPLICATE_CURRENCY",
                field=f"prices.{i}.currencyCode",
            )
        if p.amount < 0 or (p.compare_at_amount is not None and p.compare_at_amount < 0):
            raise Invalid(
                "Prices cannot be negative", code="INVALID_AMOUNT", field=f"prices.{i}.amount"
            )
        amount = to_minor(p.amount, currency, field=f"prices.{i}.amount")
        compare_at = (
            to_minor(p.compare_at_amount, currency, field=f"prices.{i}.compareAtAmount")
            if p.compare_at_amount is not None
            else None
        )
        rows[currency] = (amount, compare_at)
    return rows


async def _write_prices(
    session: AsyncSession,
    product_id: int,
    variant_id: int,
    rows: dict[str, tuple[int, int | None]],
) -> None:
    existing = await repository.prices_of(session, variant_id)
    for currency, (amount, compare_at) in rows.items():
        price = existing.get(currency)
        if price is None:
            session.add(
                Price(
                    variant_id=variant_id,
                    currency_code=currency,
                    amount=amount,
                    compare_at_amount=compare_at,
                )
            )
        else:
            price.amount, price.compare_at_amount = amount, compare_at
    await session.flush()
    await listing.refresh_prices(session, [product_id])


async def _check_variant_fields(
    session: AsyncSession, data: VariantInput, variant_id: int | None
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if data.sku is not None:
        sku = data.sku.strip()
        if not sku or len(sku) > 64 or any(c.isspace() for c in sku):
            raise Invalid(
                "A SKU is 1 to 64 characters without spaces", code="INVALID_SKU", field="sku"
            )
        if await repository.sku_taken(session, sku, except_id=variant_id):
            raise Conflict(f"SKU '{sku}' is taken", code="DUPLICATE_SKU", field="sku")
        changes["sku"] = sku
    if data.barcode is not None:
        barcode = data.barcode.strip() or None
        if barcode and await repository.barcode_taken(session, barcode, except_id=variant_id):
            raise Conflict(
                f"Barcode '{barcode}' is taken", code="DUPLICATE_BARCODE", field="barcode"
            )
        changes["barcode"] = barcode
    if data.title is not None:
        changes["title"] = data.title.strip()
    if data.options is not None:
        options = _pairs(data.options, "options")
        if len(options) > MAX_VARIANT_OPTIONS:
            raise Invalid(
                f"At most {MAX_VARIANT_OPTIONS} options", code="TOO_MANY_OPTIONS", field="options"
            )
        changes["options"] = options
    return changes


async def create_variant(session: AsyncSession, product_id: int, data: VariantInput) -> Variant:
    if await repository.get_product(session, product_id) is None:
        raise NotFound("No such product", field="productId")
    if data.sku is None:
        raise Invalid("A SKU is required", code="REQUIRED", field="sku")
    changes = await _check_variant_fields(session, data, None)
    prices = _price_rows(data.prices or [])
    variant = Variant(
        product_id=product_id,
        position=await repository.next_variant_position(session, product_id),
        title=changes.pop("title", ""),
        options=changes.pop("options", []),
        **changes,
    )
    session.add(variant)
    await session.flush()
    await _write_prices(session, product_id, variant.id, prices)
    return variant


async def update_variant(session: AsyncSession, variant_id: int, data: VariantInput) -> Variant:
    variant = await repository.get_variant(session, variant_id)
    if variant is None:
        raise NotFound("No such variant", field="id")
    changes = await _check_variant_fields(session, data, variant_id)
    prices = _price_rows(data.prices) if data.prices is not None else None
    for name, value in changes.items():
        setattr(variant, name, value)
    await session.flush()
    if prices is not None:
        await _write_prices(session, variant.product_id, variant.id, prices)
    return variant


async def set_variant_prices(
    session: AsyncSession, variant_id: int, prices: Sequence[PriceInput]
) -> Variant:
    variant = await repository.get_variant(session, variant_id)
    if variant is None:
        raise NotFound("No such variant", field="variantId")
    if not prices:
        raise Invalid("Give at least one price", code="REQUIRED", field="prices")
    await _write_prices(session, variant.product_id, variant_id, _price_rows(prices))
    return variant
