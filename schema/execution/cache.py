"""Plans compiled once per document, operation and values of the @skip/@include variables."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    GraphQLObjectType,
    Visitor,
    visit,
)
from graphql.execution import Executor
from graphql.execution.values import VariableValues
from graphql.language import VariableNode

from schema.execution.plan import Compiler, FieldPlan, Unsupported

MAX_PLANS = 256


class _DirectiveVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        if node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)


def _directive_variables(document: DocumentNode) -> tuple[str, ...]:
    visitor = _DirectiveVariables()
    visit(document, visitor)
    return tuple(sorted(visitor.names))


class RootPlan:
    __slots__ = ("fields", "root_type")

    def __init__(self, root_type: GraphQLObjectType, fields: tuple[FieldPlan, ...]) -> None:
        self.root_type = root_type
        self.fields = fields


class PlanCache:
    """An LRU of compiled plans. A document is known by its text (documents from the parser
    cache and fresh parses of the same text share plans); an operation without a source
    location is known by identity and kept alive with its plan, so its id is not reused."""

    def __init__(self, maxsize: int = MAX_PLANS) -> None:
        self.maxsize = maxsize
        self._plans: OrderedDict[tuple[Any, ...], tuple[Any, RootPlan | None]] = OrderedDict()
        self._variables: OrderedDict[Any, tuple[Any, tuple[str, ...]]] = OrderedDict()

    def _remember(self, store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        store[key] = value
        if len(store) > self.maxsize:
            store.popitem(last=False)

    def plan(self, executor: Executor[Any]) -> RootPlan | None:
        """The plan for the executor's operation, or None when it must run on the standard
        executor."""
        operation = executor.operation
        document_key: Any = operation.loc.source.body if operation.loc else id(operation)
        operation_name = operation.name.value if operation.name else None
        # Each operation of a document has its own @skip/@include variables.
        operation_key = (document_key, operation_name)
        known = self._variables.get(operation_key)
        if known is None or (operation.loc is None and known[0] is not operation):
            definitions = (operation, *executor.fragment_definitions.values())
            known = (operation, _directive_variables(DocumentNode(definitions=definitions)))
            self._remember(self._variables, operation_key, known)
        names = known[1]
        coerced = executor.variable_values.coerced
        key = (
            executor.schema,  # by identity: plans of one schema never serve another
            document_key,
            operation_name,
            *(_hashable(coerced.get(name)) for name in names),
        )
        found = self._plans.get(key)
        if found is not None and (operation.loc or found[0] is operation):
            self._plans.move_to_end(key)
            return found[1]
        plan = self._compile(executor, names)
        self._remember(self._plans, key, (operation, plan))
        return plan

    @staticmethod
    def _compile(executor: Executor[Any], names: tuple[str, ...]) -> RootPlan | None:
        sources = executor.variable_values.sources
        coerced = executor.variable_values.coerced
        # The plan outlives the request: it keeps only the variables it depends on.
        variables = VariableValues(
            {n: sources[n] for n in names if n in sources},
            {n: coerced[n] for n in names if n in coerced},
        )
        root_type = executor.schema.query_type
        assert root_type is not None
        compiler = Compiler(
            executor.schema,
            executor.fragments,
            variables,
            executor.operation,
            executor.hide_suggestions,
            executor.field_resolver,
        )
        try:
            return RootPlan(root_type, compiler.root(root_type))
        except (Unsupported, RecursionError):
            return None


def _hashable(value: Any) -> Any:
    return value if isinstance(value, bool | None | BooleanValueNode) else repr(value)
