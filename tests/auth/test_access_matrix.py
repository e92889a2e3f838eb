"""Every root field of the schema, called as every kind of viewer.

The expected answer comes from the rule the field declares (schema/permissions.py): allowed,
or refused with UNAUTHENTICATED (anonymous) / FORBIDDEN (signed in) and no data. A field
without a rule fails `test_every_root_field_declares_a_rule`, so each new capability has to
decide who may call it. Object-level rules on customer data are checked in OBJECT_DENIED.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLType,
    GraphQLUnionType,
)
from graphql.pyutils import Undefined
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case

from app.auth.scopes import SCOPES
from app.auth.viewer import Viewer
from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole
from app.server import create_app
from schema.context import Context
from schema.permissions import Rule, rules_of
from schema.relay import to_global_id
from schema.schema import schema
from tests.factories.carts import create_cart_for
from tests.factories.channels import create_location
from tests.factories.customers import (
    create_customer,
    customer_token,
    partner_key,
    quick_staff_token,
)

VIEWERS = (
    "anonymous",
    "customer",
    "other_customer",
    "admin",
    "operations",
    "store_associate",
    "partner_with_scopes",
    "partner_without_scopes",
)
REFUSED = {"UNAUTHENTICATED", "FORBIDDEN"}
# Allowed to call the field, refused by the object rule: a customer acting on another one.
OBJECT_DENIED = {
    ("customerIdentifierAdd", "customer"),
    ("customerUpdate", "customer"),
    ("customerAddressAdd", "customer"),
    ("customerConsentUpdate", "customer"),
    ("customerDataExport", "customer"),
    ("customerErase", "customer"),
}
# Fields about one cart get the other customer's cart; whoever may not reach it is told it
# does not exist (NOT_FOUND, as for an unknown ID), never FORBIDDEN, so an ID leaks nothing.
CART_FIELDS = {
    "cart", "cartLinesAdd", "cartLinesUpdate", "cartLinesRemove", "cartBuyerIdentityUpdate",
    "cartDiscountCodesUpdate", "cartDeliveryMethodUpdate", "cartNoteUpdate", "checkoutComplete",
    "orderCreateInStore",
}  # fmt: skip
CART_HIDDEN_FROM = {
    "anonymous", "customer", "store_associate", "partner_with_scopes", "partner_without_scopes",
}  # fmt: skip


@dataclass(frozen=True)
class RootField:
    operation: str  # query, mutation or subscription
    name: str
    rules: tuple[type[Rule], ...]
    graphql: GraphQLField

    def allows(self, viewer: Viewer) -> bool:
        return all(rule.allows(viewer) for rule in self.rules)


def _root_fields() -> Iterator[RootField]:
    roots = (("query", schema.query), ("mutation", schema.mutation),
             ("subscription", schema.subscription))  # fmt: skip
    graphql_schema = schema._schema
    for operation, root in roots:
        if root is None:
            continue
        definition: StrawberryObjectDefinition = root.__strawberry_definition__
        graphql_root = getattr(graphql_schema, f"{operation}_type")
        assert isinstance(graphql_root, GraphQLObjectType)
        for field in definition.fields:
            name = field.graphql_name or to_camel_case(field.python_name)
            yield RootField(
                operation, name, tuple(rules_of(field.permission_classes)),
                graphql_root.fields[name],
            )  # fmt: skip


ROOT_FIELDS = list(_root_fields())


def test_every_root_field_declares_a_rule() -> None:
    missing = [f"{f.operation} {f.name}" for f in ROOT_FIELDS if not f.rules]
    assert missing == [], f"declare permission_classes=[...] on: {', '.join(missing)}"


def test_the_matrix_covers_queries_mutations_and_subscriptions() -> None:
    names = {f.name for f in ROOT_FIELDS}
    assert {"me", "customer", "customers", "customerMerge", "staffLogin", "products"} <= names
    assert {f.operation for f in ROOT_FIELDS} >= {"query", "mutation"}


# Building a call for any field from its GraphQL type.


def _unwrap(type_: GraphQLType) -> GraphQLNamedType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_  # type: ignore[return-value]


SCALAR_VALUES = {
    "ID": None, "String": '"x"', "Int": "1", "Float": "1.5", "Boolean": "true",
    "DateTime": '"2026-01-01T00:00:00+00:00"', "Decimal": '"1"', "JSON": "{}",
}  # fmt: skip


def _literal(type_: GraphQLType, an_id: str, depth: int = 0) -> str:
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type, an_id, depth)
    if isinstance(type_, GraphQLList):
        return f"[{_literal(type_.of_type, an_id, depth)}]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        required = [
            f"{name}: {_literal(field.type, an_id, depth + 1)}"
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{" + ", ".join(required) + "}"
    assert isinstance(type_, GraphQLScalarType)
    value = SCALAR_VALUES.get(type_.name, '"x"')
    return f'"{an_id}"' if value is None else value


def _selection(type_: GraphQLType) -> str:
    """Every field that takes no required argument, objects only by their __typename."""
    named = _unwrap(type_)
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return "{ __typename }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = _unwrap(field.type)
        if isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            parts.append(f"{name} {{ __typename }}" if name != "userErrors" else
                         "userErrors { code }")  # fmt: skip
        else:
            parts.append(name)
    return "{ " + " ".join(parts) + " }"


def _document(field: RootField, an_id: str) -> str:
    args = [
        f"{name}: {_literal(arg.type, an_id)}"
        for name, arg in field.graphql.args.items()
        if isinstance(arg.type, GraphQLNonNull)
    ]
    call = f"{field.name}({', '.join(args)})" if args else field.name
    return f"{field.operation} Matrix {{ {call} {_selection(field.graphql.type)} }}"


# The viewers: one world per test, so that a call cannot affect the next one.


async def _credentials(db: Database, settings: Settings, viewer: str, own: int) -> dict[str, str]:
    if viewer == "anonymous":
        return {}
    if viewer in ("customer", "other_customer"):
        customer = own if viewer == "other_customer" else await create_customer(
            db, email="viewer@example.com"
        )  # fmt: skip
        return {"Authorization": f"Bearer {await customer_token(db, settings, customer)}"}
    if viewer.startswith("partner"):
        scopes = sorted(SCOPES) if viewer == "partner_with_scopes" else []
        return {"X-Api-Key": await partner_key(db, scopes=scopes)}
    role = {"admin": StaffRole.ADMIN, "operations": StaffRole.OPERATIONS,
            "store_associate": StaffRole.STORE_ASSOCIATE}[viewer]  # fmt: skip
    home = await create_location(db, code="st-home")
    token = await quick_staff_token(db, role=role, email=f"{viewer}@example.com",
                                    home_location_id=home.id)  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _codes(errors: list[dict[str, Any]] | None) -> set[str]:
    return {(e.get("extensions") or {}).get("code") for e in errors or []}


def _leaked(value: Any) -> bool:
    """Whether a refused payload carries anything besides its userErrors."""
    if isinstance(value, dict):
        return any(_leaked(v) for k, v in value.items() if k not in ("userErrors", "__typename"))
    return value not in (None, False, [], "")


async def _subscribe(
    db: Database, settings: Settings, headers: dict[str, str], document: str
) -> tuple[set[str], bool]:
    """Codes of the first answer and whether the subscription was accepted."""
    app = create_app(settings, db)
    viewer = await app.state.graphql.viewer_for(httpx.Headers(headers))
    context = Context(db=db, settings=settings, viewer=viewer, request_id="matrix")
    result = await schema.subscribe(document, context_value=context)
    if not hasattr(result, "__anext__"):
        return _codes([e.formatted for e in result.errors or []]), False
    try:
        first = await asyncio.wait_for(result.__anext__(), timeout=0.3)
    except TimeoutError:
        return set(), True
    finally:
        with contextlib.suppress(Exception):
            await result.aclose()
    return _codes([e.formatted for e in first.errors or []]), not first.errors


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("field", ROOT_FIELDS, ids=lambda f: f"{f.operation}.{f.name}")
async def test_viewer_gets_what_the_rule_allows_and_nothing_else(
    field: RootField,
    viewer: str,
    client: httpx.AsyncClient,
    db: Database,
    settings: Settings,
) -> None:
    # given: the IDs in the call are those of the "other customer"
    other = await create_customer(db, email="other@example.com", phone="+15145550100")
    headers = await _credentials(db, settings, viewer, other)
    app_viewer = await create_app(settings, db).state.graphql.viewer_for(httpx.Headers(headers))
    expected = field.allows(app_viewer)
    an_id = to_global_id("Customer", other)
    if field.name in CART_FIELDS:
        an_id = await create_cart_for(db, other)
    document = _document(field, an_id)
    # when
    if field.operation == "subscription":
        codes, accepted = await _subscribe(db, settings, headers, document)
        # then
        if expected:
            assert not codes & REFUSED, (document, codes)
        else:
            assert not accepted
            assert codes == {"UNAUTHENTICATED" if viewer == "anonymous" else "FORBIDDEN"}
        return
    response = await client.post("/graphql", json={"query": document}, headers=headers)
    body = response.json()
    # then
    assert "data" in body, (document, body)
    data = (body.get("data") or {}).get(field.name)
    codes = _codes(body.get("errors"))
    if not expected:
        assert codes == {"UNAUTHENTICATED" if viewer == "anonymous" else "FORBIDDEN"}, body
        assert data is None, body
        return
    assert not codes & REFUSED, (document, body)
    user_errors = (data.get("userErrors") if isinstance(data, dict) else None) or []
    user_codes = {e["code"] for e in user_errors}
    if field.name in CART_FIELDS and viewer in CART_HIDDEN_FROM:
        assert (user_codes | codes) == {"NOT_FOUND"}, (document, body)
        assert not _leaked(data), body
    elif (field.name, viewer) in OBJECT_DENIED:
        assert user_codes == {"FORBIDDEN"}, (document, body)
        assert not _leaked(data), body
    else:
        assert not user_codes & REFUSED, (document, body)
