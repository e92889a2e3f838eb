"""The comparison point: the same listing served the textbook way, ORM instances plus one
DataLoader per relation (variants of a product, prices of a variant), every relation field an
awaitable. It answers the benchmark's query document and nothing else.

Run by bench/listing.py as `uvicorn bench.baseline_orm:create_app --factory`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import strawberry
from sqlalchemy import and_, exists, func, literal, select
from sqlalchemy.orm import aliased
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info

from app.config import get_settings
from app.database import Database
from app.kit.money import to_decimal
from app.kit.pagination import encode_cursor
from app.kit.sql import id_in
from app.models.catalog import Price, ProductChannel, ProductStatus, ProductTranslation
from app.models.catalog import Product as ProductModel
from app.models.catalog import Variant as VariantModel
from app.models.channel import Channel as ChannelModel
from schema.relay import to_global_id


@dataclass
class BaselineContext:
    db: Database
    channel: ChannelModel | None = None
    variants: DataLoader[int, list[VariantModel]] = field(init=False)
    prices: DataLoader[int, list[Price]] = field(init=False)

    def __post_init__(self) -> None:
        self.variants = DataLoader(self._variants)
        self.prices = DataLoader(self._prices)

    async def _variants(self, product_ids: Sequence[int]) -> list[list[VariantModel]]:
        grouped: dict[int, list[VariantModel]] = defaultdict(list)
        stmt = (
            select(VariantModel)
            .where(id_in(VariantModel.product_id, product_ids, self.db.engine.dialect.name))
            .order_by(VariantModel.product_id, VariantModel.position, VariantModel.id)
        )
        # Batches run concurrently with other batches: each gets its own session.
        async with self.db.sessionmaker() as session:
            for variant in (await session.scalars(stmt)).all():
                grouped[variant.product_id].append(variant)
        return [grouped[i] for i in product_ids]

    async def _prices(self, variant_ids: Sequence[int]) -> list[list[Price]]:
        grouped: dict[int, list[Price]] = defaultdict(list)
        stmt = select(Price).where(
            id_in(Price.variant_id, variant_ids, self.db.engine.dialect.name)
        )
        async with self.db.sessionmaker() as session:
            for price in (await session.scalars(stmt)).all():
                grouped[price.variant_id].append(price)
        return [grouped[i] for i in variant_ids]


BaselineInfo = Info[BaselineContext, None]


@strawberry.type
class Money:
    amount: Decimal
    currency_code: str


@strawberry.type
class SelectedOption:
    name: str
    value: str


@strawberry.type
class ProductVariant:
    model: strawberry.Private[VariantModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("ProductVariant", self.model.id))

    @strawberry.field
    def sku(self) -> str:
        return self.model.sku

    @strawberry.field
    def title(self) -> str:
        return self.model.title

    @strawberry.field
    def barcode(self) -> str | None:
        return self.model.barcode

    @strawberry.field
    def position(self) -> int:
        return self.model.position

    @strawberry.field
    def selected_options(self) -> list[SelectedOption]:
        return [SelectedOption(name=o["name"], value=o["value"]) for o in self.model.options]

    async def _price(self, info: BaselineInfo) -> Price | None:
        channel = info.context.channel
        for price in await info.context.prices.load(self.model.id):
            if channel is not None and price.currency_code == channel.currency_code:
                return price
        return None

    @strawberry.field
    async def price(self, info: BaselineInfo) -> Money | None:
        price = await self._price(info)
        if price is None:
            return None
        return Money(amount=to_decimal(price.amount, price.currency_code),
                     currency_code=price.currency_code)  # fmt: skip

    @strawberry.field
    async def compare_at_price(self, info: BaselineInfo) -> Money | None:
        price = await self._price(info)
        if price is None or price.compare_at_amount is None:
            return None
        return Money(amount=to_decimal(price.compare_at_amount, price.currency_code),
                     currency_code=price.currency_code)  # fmt: skip


@strawberry.type
class Product:
    model: strawberry.Private[ProductModel]
    localized_title: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Product", self.model.id))

    @strawberry.field
    def handle(self) -> str:
        return self.model.handle

    @strawberry.field
    def title(self) -> str:
        return self.localized_title

    @strawberry.field
    def vendor(self) -> str:
        return self.model.vendor

    @strawberry.field
    def product_type(self) -> str:
        return self.model.product_type

    @strawberry.field
    async def variants(self, info: BaselineInfo) -> list[ProductVariant]:
        return [ProductVariant(model=v) for v in await info.context.variants.load(self.model.id)]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo


@strawberry.type
class Query:
    @strawberry.field
    async def products(
        self, info: BaselineInfo, first: int = 50, channel: str = "web"
    ) -> ProductConnection:
        ctx = info.context
        async with ctx.db.sessionmaker() as session:
            ctx.channel = (
                await session.scalars(select(ChannelModel).where(ChannelModel.code == channel))
            ).one()
            wanted = aliased(ProductTranslation)
            fallback = aliased(ProductTranslation)
            title = func.coalesce(wanted.title, fallback.title, ProductModel.handle)
            locale = ctx.channel.default_locale
            stmt = (
                select(ProductModel, title.label("title"))
                .outerjoin(wanted, and_(wanted.product_id == ProductModel.id,
                                        wanted.locale == literal(locale)))
                .outerjoin(fallback, and_(fallback.product_id == ProductModel.id,
                                          fallback.locale == literal(locale)))
                .where(
                    ProductModel.status == ProductStatus.ACTIVE,
                    exists().where(ProductChannel.product_id == ProductModel.id,
                                   ProductChannel.channel_id == ctx.channel.id),
                )
                .order_by(title, ProductModel.id)
                .limit(first + 1)
            )  # fmt: skip
            rows = (await session.execute(stmt)).all()
        edges = [
            ProductEdge(cursor=encode_cursor([t, p.id]), node=Product(model=p, localized_title=t))
            for p, t in rows[:first]
        ]
        return ProductConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > first,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


# The same parse and validation caches as the real schema, shared by every request, so the
# comparison is about the read path only.
_parser_cache = ParserCache(maxsize=64)
_validation_cache = ValidationCache(maxsize=64)
schema = strawberry.Schema(
    query=Query, extensions=[lambda: _parser_cache, lambda: _validation_cache]
)


class BaselineGraphQL(GraphQL[BaselineContext, None]):
    def __init__(self, db: Database) -> None:
        super().__init__(schema, graphql_ide=None)
        self.db = db

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> BaselineContext:
        return BaselineContext(db=self.db)


def create_app(db: Database | None = None) -> Starlette:
    if db is None:
        settings = get_settings()
        db = Database.from_url(settings.database_url, pool_size=settings.database_pool_size)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/graphql", BaselineGraphQL(db), methods=["POST"]),
            Route("/healthz", healthz),
        ]
    )
