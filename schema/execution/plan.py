"""The compiled plan: which fields an object of a given type answers and how each one is
resolved and completed. Built from graphql-core's own field collection, so @skip/@include,
fragments and type conditions select exactly the fields graphql-core would."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
    is_non_null_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import Node

from schema import fast_paths
from schema.execution.run import Chain, Run

Completer = Callable[[Run, Any, Chain], Any]
FieldExecutor = Callable[[Run, Any, Chain], Any]

_ATTRIBUTE_CODE = fast_paths._attribute("").__code__

# Argument values that can be shared by every request: nothing a resolver could mutate.
_IMMUTABLE = (str, int, float, bool, Decimal, Enum, type(None))


class Unsupported(Exception):
    """The document needs something the plan does not do; the operation runs on the
    standard executor instead."""


class FieldPlan:
    """One response key of one object type."""

    __slots__ = (
        "attribute",
        "complete",
        "definition",
        "details",
        "direct",
        "execute",
        "key",
        "node",
        "nodes",
        "non_null",
        "null_message",
        "parent_name",
        "parent_type",
        "resolve",
        "return_type",
        "static_arguments",
    )

    def __init__(
        self,
        parent_type: GraphQLObjectType,
        key: str,
        details: list[FieldDetails],
        definition: GraphQLField,
        resolve: Callable[..., Any],
    ) -> None:
        self.parent_type = parent_type
        self.parent_name = parent_type.name
        self.key = key
        self.details = details
        self.nodes: list[FieldNode] = [d.node for d in details]
        self.node = self.nodes[0]
        self.definition = definition
        self.return_type: GraphQLOutputType = definition.type
        self.non_null = is_non_null_type(definition.type)
        self.null_message = (
            f"Cannot return null for non-nullable field {parent_type.name}.{self.node.name.value}."
        )
        self.resolve = resolve
        # The direct resolvers of schema.fast_paths take no info: they get None, and no
        # ResolveInfo is built for them.
        self.direct = getattr(resolve, "__module__", None) == fast_paths.__name__
        # A plain attribute is read here rather than through a call of the same getattr.
        self.attribute: str | None = None
        closure = getattr(resolve, "__closure__", None)
        if self.direct and closure and getattr(resolve, "__code__", None) is _ATTRIBUTE_CODE:
            self.attribute = closure[0].cell_contents
        self.static_arguments: dict[str, Any] | None = None
        self.complete: Completer
        self.execute: FieldExecutor


class ObjectPlan:
    """The fields of one object type under one group of field nodes, compiled on first use."""

    __slots__ = ("_fields", "compiler", "details", "object_type")

    def __init__(
        self, compiler: Compiler, object_type: GraphQLObjectType, details: list[FieldDetails]
    ) -> None:
        self.compiler = compiler
        self.object_type = object_type
        self.details = details
        self._fields: tuple[FieldPlan, ...] | None = None

    @property
    def fields(self) -> tuple[FieldPlan, ...]:
        if self._fields is None:
            collected = collect_subfields(
                self.compiler.schema,
                self.compiler.fragments,
                self.compiler.variable_values,
                self.compiler.operation,
                self.object_type,
                self.details,
                self.compiler.hide_suggestions,
            )
            self._fields = self.compiler.field_plans(self.object_type, collected[0])
        return self._fields


class Compiler:
    """Compiles the plans of one operation. It keeps only the variables that @skip/@include
    read (the plan is shared by every request with the same values of those)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDetails],
        variable_values: VariableValues,
        operation: OperationDefinitionNode,
        hide_suggestions: bool,
        default_resolver: Callable[..., Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variable_values = variable_values
        self.operation = operation
        self.hide_suggestions = hide_suggestions
        self.default_resolver = default_resolver

    def root(self, root_type: GraphQLObjectType) -> tuple[FieldPlan, ...]:
        grouped = collect_fields(
            self.schema,
            self.fragments,
            self.variable_values,
            root_type,
            self.operation,
            self.hide_suggestions,
        )[0]
        if "__schema" in grouped or "__type" in grouped:
            # Introspection: rare, large and info-heavy; graphql-core answers it.
            raise Unsupported("introspection")
        for key, details in grouped.items():
            if details[0].node.name.value in ("__schema", "__type"):
                raise Unsupported(f"introspection under alias {key}")
        return self.field_plans(root_type, grouped)

    def object_plan(
        self, object_type: GraphQLObjectType, details: list[FieldDetails]
    ) -> ObjectPlan:
        return ObjectPlan(self, object_type, details)

    def field_plans(
        self, parent_type: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]
    ) -> tuple[FieldPlan, ...]:
        from schema.execution.complete import build_completer
        from schema.execution.fields import build_executor

        plans = []
        for key, details in grouped.items():
            if any(d.fragment_variable_values is not None for d in details):
                raise Unsupported("fragment arguments")
            name = details[0].node.name.value
            definition = self.schema.get_field(parent_type, name)
            if definition is None:
                continue  # graphql-core leaves unknown fields out too
            field = FieldPlan(
                parent_type, key, details, definition, definition.resolve or self.default_resolver
            )
            field.static_arguments = _static_arguments(field)
            field.complete = build_completer(self, field, field.return_type)
            field.execute = build_executor(field)
            plans.append(field)
        return tuple(plans)


def _has_variables(node: Node) -> bool:
    if isinstance(node, VariableNode):
        return True
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, tuple | list) else (value,)
        if any(isinstance(child, Node) and _has_variables(child) for child in children):
            return True
    return False


def _static_arguments(field: FieldPlan) -> dict[str, Any] | None:
    """Arguments that are the same for every request: coerced once, at compile time."""
    if not field.definition.args and not field.node.arguments:
        return {}
    if any(_has_variables(argument) for argument in field.node.arguments or ()):
        return None
    try:
        values = get_argument_values(field.definition, field.node)
    except Exception:
        return None  # coerced per request, so the error lands on each object as usual
    if all(isinstance(v, _IMMUTABLE) for v in values.values()):
        return values
    return None
