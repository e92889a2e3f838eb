from __future__ import annotations

from graphql import GraphQLObjectType

from schema.schema import schema


def _resolver_module(type_name: str, field_name: str) -> str:
    graphql_type = schema._schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    resolve = graphql_type.fields[field_name].resolve
    assert resolve is not None
    return resolve.__module__


def test_hot_listing_fields_resolve_directly() -> None:
    for type_name, field_name in [
        ("ProductVariant", "sku"),
        ("ProductVariant", "price"),
        ("ProductVariant", "inventory"),
        ("Money", "amount"),
        ("Product", "variants"),
    ]:
        assert _resolver_module(type_name, field_name) == "schema.fast_paths", field_name


def test_fields_that_need_strawberry_keep_its_resolver() -> None:
    # permission checks, async resolvers and input-object arguments stay with strawberry
    assert _resolver_module("Query", "products") != "schema.fast_paths"
    assert _resolver_module("ProductVariant", "pickupAvailability") != "schema.fast_paths"
    assert _resolver_module("ProductConnection", "totalCount") != "schema.fast_paths"
