"""Walks an operation once, before it runs: its cost, over-long strings, introspection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
    is_input_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    type_from_ast,
    value_from_ast,
)

from schema.cost.rules import CONNECTION_LIST_FIELDS, FIELD_COSTS, SEARCH_ARGUMENTS, FieldCost
from schema.errors import ApiError

_NO_COST = FieldCost()


@dataclass(frozen=True, slots=True)
class Limits:
    default_page_size: int
    max_page_size: int
    string_max: int
    search_max: int
    # Depth and aliases are counted here, with fragments walked once each: strawberry's
    # limiter rules walk a fragment at every spread, and a 1 KB document of nested spreads
    # takes them seconds.
    max_depth: int | None = None
    max_aliases: int | None = None
    # Values of the settings that cap some lists (rules.LIST_SIZE_SETTINGS), by name.
    list_sizes: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Analysis:
    cost: int = 0
    introspection: bool = False
    operation_name: str | None = None
    _fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    _memo: dict[tuple[str, str, int | None], int] = field(default_factory=dict)
    _walking: set[str] = field(default_factory=set)
    _depths: dict[str, int] = field(default_factory=dict)
    _aliases: dict[str, int] = field(default_factory=dict)


def _too_long(what: str, length: int, limit: int) -> ApiError:
    error = ApiError(f"{what} is {length} characters long; at most {limit} are allowed",
                     "INPUT_TOO_LONG")  # fmt: skip
    error.extensions = {**(error.extensions or {}), "maxLength": limit, "length": length}
    return error


def check_strings(value: Any, limit: int, what: str) -> None:
    """Refuse any string inside `value` (variables: dicts and lists) longer than `limit`."""
    if isinstance(value, str):
        if len(value) > limit:
            raise _too_long(what, len(value), limit)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_strings(item, limit, f"{what}.{key}")
    elif isinstance(value, list):
        for item in value:
            check_strings(item, limit, what)


def _check_literal(node: ValueNode, limit: int, what: str) -> None:
    if isinstance(node, StringValueNode):
        check_strings(node.value, limit, what)
    elif isinstance(node, ListValueNode):
        for item in node.values:
            _check_literal(item, limit, what)
    elif isinstance(node, ObjectValueNode):
        for entry in node.fields:
            _check_literal(entry.value, limit, f"{what}.{entry.name.value}")


class Analyser:
    def __init__(
        self, schema: GraphQLSchema, variables: Mapping[str, Any] | None, limits: Limits
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.limits = limits
        # The operation's declared defaults, for variables the request leaves out.
        self._defaults: dict[str, Any] = {}

    def analyse(self, document: DocumentNode, operation_name: str | None) -> Analysis:
        result = Analysis()
        operation: OperationDefinitionNode | None = None
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                result._fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode) and (
                operation_name is None
                or (definition.name is not None and definition.name.value == operation_name)
            ):
                operation = operation or definition
        if operation is not None:
            result.operation_name = operation.name.value if operation.name else None
            self._defaults = self._variable_defaults(operation)
            depth = self._depth(result, operation.selection_set)
            if self.limits.max_depth is not None and depth > self.limits.max_depth:
                name = result.operation_name or "anonymous"
                raise ApiError(
                    f"'{name}' exceeds maximum operation depth of {self.limits.max_depth}",
                    "GRAPHQL_VALIDATION_FAILED",
                )
            aliases = self._alias_count(result, operation.selection_set)
            if self.limits.max_aliases is not None and aliases > self.limits.max_aliases:
                raise ApiError(
                    f"{aliases} aliases found. Allowed: {self.limits.max_aliases}",
                    "GRAPHQL_VALIDATION_FAILED",
                )
            root = self.schema.get_root_type(operation.operation)
            if root is not None:
                result.cost = self._selection(result, operation.selection_set, root, None)
        # Arguments were checked against their own limits on the way; every other string
        # (unused variables, nested input fields) gets the general one.
        check_strings(dict(self.variables), self.limits.string_max, "Variable")
        return result

    def _variable_defaults(self, operation: OperationDefinitionNode) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for definition in operation.variable_definitions or ():
            if definition.default_value is None:
                continue
            declared = type_from_ast(self.schema, definition.type)
            # An unknown or non-input type is left to validation, which refuses the document.
            value = (
                value_from_ast(definition.default_value, declared)
                if is_input_type(declared)
                else None
            )
            defaults[definition.variable.name.value] = None if value is Undefined else value
        return defaults

    def _selection(
        self,
        result: Analysis,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        list_size: int | None,
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(result, selection, parent, list_size)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selection(
                    result, selection.selection_set, target or parent, list_size
                )
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread(result, selection.name.value, list_size)
        return total

    def _depth(self, result: Analysis, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                deepest = max(deepest, 1 + self._depth(result, selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._depth(result, selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = result._fragments.get(name)
                if fragment is None or name in result._walking:
                    continue
                if name not in result._depths:
                    result._walking.add(name)
                    result._depths[name] = self._depth(result, fragment.selection_set)
                    result._walking.discard(name)
                deepest = max(deepest, result._depths[name])
        return deepest

    def _alias_count(self, result: Analysis, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += (selection.alias is not None) + self._alias_count(
                    result, selection.selection_set
                )
            elif isinstance(selection, InlineFragmentNode):
                total += self._alias_count(result, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = result._fragments.get(name)
                if fragment is None or name in result._walking:
                    continue
                if name not in result._aliases:
                    result._walking.add(name)
                    result._aliases[name] = self._alias_count(result, fragment.selection_set)
                    result._walking.discard(name)
                total += result._aliases[name]
        return total

    def _spread(self, result: Analysis, name: str, list_size: int | None) -> int:
        fragment = result._fragments.get(name)
        if fragment is None:
            return 0
        target = self.schema.get_type(fragment.type_condition.name.value)
        if target is None:
            return 0
        # Fragments spread many times are costed once: a document cannot make this walk
        # exponential by nesting spreads.
        key = (name, target.name, list_size)
        if key not in result._memo:
            if name in result._walking:
                # A cycle: validation refuses the document; pricing must just not loop.
                return 0
            result._walking.add(name)
            result._memo[key] = self._selection(result, fragment.selection_set, target, list_size)
            result._walking.discard(name)
        return result._memo[key]

    def _argument_values(self, node: FieldNode, field_name: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for argument in node.arguments or ():
            name, value = argument.name.value, argument.value
            limit = self.limits.search_max if name in SEARCH_ARGUMENTS else self.limits.string_max
            what = f"Argument {field_name}({name}:)"
            if isinstance(value, VariableNode):
                variable = value.name.value
                # An explicit null is null; only a variable left out takes its default.
                values[name] = (
                    self.variables[variable]
                    if variable in self.variables
                    else self._defaults.get(variable)
                )
                check_strings(values[name], limit, what)
            else:
                _check_literal(value, limit, what)
                if isinstance(value, IntValueNode):
                    values[name] = int(value.value)
                elif isinstance(value, ListValueNode):
                    values[name] = list(value.values)
        return values

    @staticmethod
    def _size(definition: GraphQLField, arguments: dict[str, Any]) -> int | None:
        """Items asked for: `first`/`last` as sent or by default, or the number of `ids`."""
        for name in ("first", "last"):
            value = arguments.get(name)
            if isinstance(value, int):
                return value
        ids = arguments.get("ids")
        if isinstance(ids, list):
            return len(ids)
        declared = definition.args.get("first")
        default = declared.default_value if declared is not None else None
        return default if isinstance(default, int) else None

    def _field(
        self, result: Analysis, node: FieldNode, parent: GraphQLNamedType, list_size: int | None
    ) -> int:
        name = node.name.value
        if name in ("__schema", "__type"):
            result.introspection = True
            return 0
        if name.startswith("__"):
            return 0
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(name)
        arguments = self._argument_values(node, f"{parent.name}.{name}")
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        rule = FIELD_COSTS.get(f"{parent.name}.{name}", _NO_COST)
        if is_leaf_type(named):
            return rule.cost or 0
        own = 1 if rule.cost is None else rule.cost
        size = self._size(definition, arguments)
        if named.name.endswith("Connection"):
            page = size if isinstance(size, int) else self.limits.default_page_size
            # Over the page size cap the field itself refuses with its own code; priced at the
            # cap, such a request reaches it.
            page = min(max(page, 0), self.limits.max_page_size)
            return own + self._selection(result, node.selection_set, named, page)
        inner = self._selection(result, node.selection_set, named, None)
        field_type = (
            definition.type.of_type if is_non_null_type(definition.type) else definition.type
        )
        if not is_list_type(field_type):
            return own + inner
        if isinstance(size, int):
            count = min(max(size, 0), self.limits.max_page_size)
        elif name in CONNECTION_LIST_FIELDS and list_size is not None:
            count = list_size
        elif rule.list_size_setting is not None:
            count = self.limits.list_sizes.get(rule.list_size_setting, 1)
        else:
            count = rule.list_size or 1
        return count * (own + inner)


def actual_cost(data: Any) -> int:
    """What a result really cost: one point per object it holds."""
    if isinstance(data, dict):
        return 1 + sum(actual_cost(v) for v in data.values())
    if isinstance(data, list):
        return sum(actual_cost(v) for v in data)
    return 0
