"""Builds the one schema: every domain's queries, mutations and subscriptions."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.tools import merge_types

from app.config import get_settings
from schema import fast_paths
from schema.auth.mutations import AuthMutation
from schema.carts.mutations import CartMutation
from schema.carts.queries import CartQuery
from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.channels.queries import ChannelQuery
from schema.cost.extension import QueryCost
from schema.customers.mutations import CustomerMutation
from schema.customers.queries import CustomerQuery
from schema.errors import CodedErrorsSchema
from schema.execution.context import CompiledExecutionContext
from schema.http.guard import TrustedDocumentsGuard
from schema.inventory.mutations import InventoryMutation
from schema.inventory.queries import InventoryQuery
from schema.inventory.subscriptions import InventorySubscription
from schema.node import NodeQuery
from schema.orders.fulfilment_mutations import FulfillmentMutation
from schema.orders.marketplace import MarketplaceMutation
from schema.orders.mutations import OrderMutation
from schema.orders.queries import OrderQuery
from schema.orders.subscriptions import OrderSubscription
from schema.pricing.mutations import PricingMutation
from schema.pricing.queries import PricingQuery
from schema.returns.mutations import ReturnMutation
from schema.returns.refunds import RefundMutation
from schema.webhooks.mutations import WebhookMutation
from schema.webhooks.queries import WebhookQuery

Query = merge_types(
    "Query",
    (
        NodeQuery,
        ChannelQuery,
        CatalogQuery,
        InventoryQuery,
        CustomerQuery,
        CartQuery,
        OrderQuery,
        PricingQuery,
        WebhookQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutation,
        CatalogMutation,
        InventoryMutation,
        CustomerMutation,
        CartMutation,
        OrderMutation,
        FulfillmentMutation,
        MarketplaceMutation,
        PricingMutation,
        WebhookMutation,
        ReturnMutation,
        RefundMutation,
    ),
)
Subscription = merge_types("Subscription", (InventorySubscription, OrderSubscription))


parser_cache = ParserCache(maxsize=256)
validation_cache = ValidationCache(maxsize=256)


def build_schema() -> strawberry.Schema:
    settings = get_settings()
    return CodedErrorsSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            # Depth and aliases are bounded by QueryCost (schema/cost), which walks each
            # fragment once; strawberry's limiters walk one at every spread.
            lambda: MaxTokensLimiter(max_token_count=settings.query_tokens_max),
            # One cache instance for every request, so parses are reused across requests.
            lambda: parser_cache,
            lambda: validation_cache,
            TrustedDocumentsGuard,
            QueryCost,
        ],
        # Query operations run on compiled plans; the rest on graphql-core's executor.
        execution_context_class=CompiledExecutionContext,
    )


schema = build_schema()
fast_paths.install(schema)
