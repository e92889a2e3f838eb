"""Generated documents, reshaped to use what hypothesis-graphql leaves out: variables (given
or defaulted), named fragments, extra aliases and @skip/@include; and argument values drawn
from the demo data so that fields find real objects as well as bad input."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse_type,
    visit,
)
from graphql.utilities import value_from_ast_untyped


@dataclass
class RealValues:
    """Argument values that find something in the demo data, by argument name."""

    by_argument: dict[str, list[str]] = field(default_factory=dict)


def _name(value: str) -> NameNode:
    return NameNode(value=value)


class _Reshape(Visitor):
    def __init__(self, rnd: random.Random, type_info: TypeInfo, real: RealValues) -> None:
        super().__init__()
        self.rnd = rnd
        self.type_info = type_info
        self.real = real
        self.definitions: list[VariableDefinitionNode] = []
        self.variables: dict[str, Any] = {}
        self.fragments: list[FragmentDefinitionNode] = []
        self.count = 0

    def _next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def _variable(self, type_text: str, value: ValueNode, given: bool) -> VariableNode:
        name = self._next("v")
        self.definitions.append(
            VariableDefinitionNode(
                variable=VariableNode(name=_name(name)),
                type=parse_type(type_text),
                default_value=None if given else value,
                directives=(),
            )
        )
        if given:
            self.variables[name] = value_from_ast_untyped(value)
        return VariableNode(name=_name(name))

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> ArgumentNode | None:
        argument_type = self.type_info.get_input_type()
        if argument_type is None or isinstance(node.value, VariableNode):
            return None
        value = node.value
        choices = self.real.by_argument.get(node.name.value)
        named = get_named_type(argument_type).name
        is_list = is_list_type(get_nullable_type(argument_type))
        if choices and is_list and named == "ID" and self.rnd.random() < 0.8:
            picked = self.rnd.sample(choices, k=min(len(choices), self.rnd.randint(1, 3)))
            value = ListValueNode(values=tuple(StringValueNode(value=c) for c in picked))
        elif choices and not is_list and self.rnd.random() < 0.8:
            chosen = self.rnd.choice(choices)
            if named == "Int" and chosen.isdigit():
                value = IntValueNode(value=chosen)
            elif named in ("String", "ID"):
                value = StringValueNode(value=chosen)
        roll = self.rnd.random()
        if roll < 0.5:
            value = self._variable(str(argument_type), value, given=roll < 0.3)
        if value is node.value:
            return None
        return ArgumentNode(name=node.name, value=value)

    def enter_field(self, node: FieldNode, *_args: Any) -> FieldNode | None:
        changes: dict[str, Any] = {}
        if node.alias is None and self.rnd.random() < 0.25:
            changes["alias"] = _name(self._next("a"))
        if self.rnd.random() < 0.2:
            directive = self.rnd.choice(["skip", "include"])
            shown = self.rnd.random() < 0.6
            condition = shown if directive == "include" else not shown
            value: ValueNode = BooleanValueNode(value=condition)
            if self.rnd.random() < 0.7:
                value = self._variable("Boolean!", value, given=self.rnd.random() < 0.7)
            argument = ArgumentNode(name=_name("if"), value=value)
            changes["directives"] = (
                *(node.directives or ()),
                DirectiveNode(name=_name(directive), arguments=(argument,)),
            )
        if not changes:
            return None
        return FieldNode(
            alias=changes.get("alias", node.alias),
            name=node.name,
            arguments=node.arguments,
            directives=changes.get("directives", node.directives),
            selection_set=node.selection_set,
        )

    def leave_field(self, node: FieldNode, *_args: Any) -> FieldNode | None:
        # Move a field's selection into a named fragment on its type.
        if node.selection_set is None or self.rnd.random() >= 0.25:
            return None
        field_type = self.type_info.get_type()
        if field_type is None:
            return None
        spread = self._fragment(get_named_type(field_type).name, node.selection_set)
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=node.arguments,
            directives=node.directives,
            selection_set=SelectionSetNode(selections=(spread,)),
        )

    def leave_inline_fragment(self, node: InlineFragmentNode, *_args: Any) -> Any:
        if node.type_condition is None or self.rnd.random() >= 0.5:
            return None
        spread = self._fragment(node.type_condition.name.value, node.selection_set)
        return FragmentSpreadNode(name=spread.name, directives=node.directives)

    def _fragment(self, type_name: str, selection_set: SelectionSetNode) -> FragmentSpreadNode:
        name = self._next("F")
        self.fragments.append(
            FragmentDefinitionNode(
                name=_name(name),
                type_condition=NamedTypeNode(name=_name(type_name)),
                selection_set=selection_set,
                directives=(),
            )
        )
        return FragmentSpreadNode(name=_name(name), directives=())


def reshape(
    document: DocumentNode, schema: GraphQLSchema, rnd: random.Random, real: RealValues
) -> tuple[DocumentNode, dict[str, Any]]:
    """The document with variables, fragments, aliases and directives woven in."""
    type_info = TypeInfo(schema)
    reshaper = _Reshape(rnd, type_info, real)
    changed = visit(document, TypeInfoVisitor(type_info, reshaper))
    operation = changed.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    operation = OperationDefinitionNode(
        operation=operation.operation,
        name=_name("Generated"),
        variable_definitions=tuple(reshaper.definitions),
        directives=operation.directives,
        selection_set=operation.selection_set,
    )
    return DocumentNode(definitions=(operation, *reshaper.fragments)), reshaper.variables
