from __future__ import annotations

import strawberry

from app.catalog import reads, service
from app.database import UnitOfWork
from schema.catalog import loading
from schema.catalog.inputs import PriceInputType, ProductInputType, ProductVariantInputType
from schema.catalog.loading import products_for_ids
from schema.catalog.types import Product, ProductVariant
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import CatalogManager
from schema.relay import decode_id
from schema.selection import selection_tree


@strawberry.type
class ProductPayload:
    product: Product | None
    user_errors: list[UserError]


@strawberry.type
class ProductVariantPayload:
    variant: ProductVariant | None
    user_errors: list[UserError]


async def _product_payload(
    info: Info, product_id: int | None, errors: list[UserError]
) -> ProductPayload:
    if product_id is None:
        return ProductPayload(product=None, user_errors=errors)
    channel = await info.context.channel()
    tree = selection_tree(info).get("product", {})
    found = await products_for_ids(info, [product_id], tree, channel)
    return ProductPayload(product=found.get(product_id), user_errors=errors)


async def _variant_payload(
    info: Info, variant_id: int | None, errors: list[UserError]
) -> ProductVariantPayload:
    if variant_id is None:
        return ProductVariantPayload(variant=None, user_errors=errors)
    ctx = info.context
    reference = await ctx.reference()
    channel = await ctx.channel()
    parts = loading.variant_parts(selection_tree(info).get("variant", {}))
    found = await reads.variants_by_ids(ctx.db, reference, ctx.viewer, [variant_id], parts, channel)
    built = loading.variants(found, channel, await reference.channels())
    return ProductVariantPayload(variant=built[0] if built else None, user_errors=errors)


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(permission_classes=[CatalogManager])
    async def product_create(self, info: Info, input: ProductInputType) -> ProductPayload:
        ctx = info.context
        channels = await ctx.channels()

        async def action(uow: UnitOfWork) -> int:
            product = await service.create_product(
                uow.session, input.to_domain(), channels, ctx.settings.supported_locales
            )
            return product.id

        product_id, errors = await perform(info, action)
        return await _product_payload(info, product_id, errors)

    @strawberry.mutation(permission_classes=[CatalogManager])
    async def product_update(
        self, info: Info, id: strawberry.ID, input: ProductInputType
    ) -> ProductPayload:
        ctx = info.context
        channels = await ctx.channels()

        async def action(uow: UnitOfWork) -> int:
            product = await service.update_product(
                uow.session, decode_id(id, "Product"), input.to_domain(), channels,
                ctx.settings.supported_locales,
            )  # fmt: skip
            return product.id

        product_id, errors = await perform(info, action)
        return await _product_payload(info, product_id, errors)

    @strawberry.mutation(permission_classes=[CatalogManager])
    async def product_variant_create(
        self, info: Info, product_id: strawberry.ID, input: ProductVariantInputType
    ) -> ProductVariantPayload:
        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(product_id, "Product", field="productId")
            return (await service.create_variant(uow.session, pk, input.to_domain())).id

        variant_id, errors = await perform(info, action)
        return await _variant_payload(info, variant_id, errors)

    @strawberry.mutation(permission_classes=[CatalogManager])
    async def product_variant_update(
        self, info: Info, id: strawberry.ID, input: ProductVariantInputType
    ) -> ProductVariantPayload:
        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(id, "ProductVariant")
            return (await service.update_variant(uow.session, pk, input.to_domain())).id

        variant_id, errors = await perform(info, action)
        return await _variant_payload(info, variant_id, errors)

    @strawberry.mutation(
        permission_classes=[CatalogManager],
        description="Set the variant's prices in the given currencies; others stay.",
    )
    async def product_variant_prices_set(
        self, info: Info, variant_id: strawberry.ID, prices: list[PriceInputType]
    ) -> ProductVariantPayload:
        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(variant_id, "ProductVariant", field="variantId")
            domain_prices = [p.to_domain() for p in prices]
            return (await service.set_variant_prices(uow.session, pk, domain_prices)).id

        pk, errors = await perform(info, action)
        return await _variant_payload(info, pk, errors)
