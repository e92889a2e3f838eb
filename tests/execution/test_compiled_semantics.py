"""The compiled path's answers for the hard parts of GraphQL execution. Every document here
also runs on graphql-core's standard executor (the suite's differential switch), so each test
checks both the expected answer and that the two paths agree."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from schema.errors import CodedErrorsSchema
from schema.execution import differential
from schema.execution.context import CompiledExecutionContext
from tests.execution.sample import CONTEXT, Person, sample


@pytest.fixture
def compiled_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The operations the compiled path executed."""
    runs: list[str] = []
    original = CompiledExecutionContext.execute_plan

    def spy(self: CompiledExecutionContext, plan: Any) -> Any:
        runs.append(self.operation.name.value if self.operation.name else "")
        return original(self, plan)

    monkeypatch.setattr(CompiledExecutionContext, "execute_plan", spy)
    return runs


async def run(document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await sample.execute(document, variable_values=variables, context_value=CONTEXT)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


async def test_null_in_a_non_null_list_nulls_the_nearest_nullable_parent(
    compiled_runs: list[str],
) -> None:
    # given a list of non-null items where the second item's non-null field returns null
    # when
    body = await run("query Q { strictItems(fail: 2) { name must } items { name } }")
    # then the whole nullable list is null, the sibling root field survives
    assert body["data"] == {
        "strictItems": None,
        "items": [{"name": "item 1"}, {"name": "item 2"}, {"name": "item 3"}],
    }
    [error] = body["errors"]
    assert error["path"] == ["strictItems", 1, "must"]
    # a null where the schema promises a value is a fault of the server: masked
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert compiled_runs == ["Q"]


async def test_null_item_in_a_non_null_list_is_located_at_the_item() -> None:
    body = await run("{ dense { name } sparse { name } }")
    assert body["data"] == {"dense": None, "sparse": [{"name": "item 1"}, None, {"name": "item 3"}]}
    [error] = body["errors"]
    assert error["path"] == ["dense", 1]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


async def test_errors_inside_lists_carry_the_item_path_and_propagate_to_the_root() -> None:
    # given items 1 and 3 fail in a nullable field, and non-null `items` holds them
    body = await run('{ items(fail: [1, 3], how: "domain") { name maybe } }')
    # then each failure nulls its own field and keeps its own path
    assert body["data"]["items"][1] == {"name": "item 2", "maybe": "item 2"}
    assert [e["path"] for e in body["errors"]] == [["items", 0, "maybe"], ["items", 2, "maybe"]]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
    # when a non-null field fails inside the non-null list, the null reaches `data`
    body = await run('{ items(fail: [2], how: "crash") { name must } }')
    assert body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["items", 1, "must"]


async def test_domain_errors_keep_their_code_and_unexpected_ones_are_masked() -> None:
    body = await run(
        '{ a: slowItem(n: 1, failWith: "domain") { must } b: slowItem(n: 2, failWith: "crash")'
        " { must } c: slowItem(n: 3) { must } }"
    )
    assert body["data"] is None  # slowItem is non-null: its failures reach the root
    [domain] = body["errors"]
    assert domain["path"] == ["a", "must"]
    assert domain["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert domain["message"] == "No such thing"
    body = await run('{ items(fail: [3], how: "crash") { maybe later } }')
    assert body["data"] is None  # `later` is non-null all the way up
    assert [e["path"] for e in body["errors"]] == [["items", 2, "maybe"], ["items", 2, "later"]]
    masked = body["errors"][1]
    assert masked["message"].startswith("Internal error; quote request id req-1")
    assert masked["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-1"}


async def test_aliases_of_one_field_with_different_arguments() -> None:
    body = await run(
        "query Labels($p: String!, $u: Boolean = true) { items { a: label(prefix: $p) "
        'b: label(prefix: "b-", upper: $u) c: label } }',
        {"p": "a-"},
    )
    assert body["data"]["items"][0] == {"a": "a-item 1", "b": "B-ITEM 1", "c": "item 1"}


async def test_fragments_on_interfaces_and_unions_with_typename() -> None:
    document = """
    query Nodes($id: ID!) {
      node(id: $id) { __typename id ...Named ... on Item { tags { ...TagBits } } }
      things { __typename ... on Node { id } ...TagBits }
    }
    fragment Named on Node { ... on Person { nickname } ... on Item { name } }
    fragment TagBits on Tag { label shade }
    """
    body = await run(document, {"id": "person-7"})
    assert body["data"]["node"] == {"__typename": "Person", "id": "person-7", "nickname": "Ada"}
    assert body["data"]["things"] == [
        {"__typename": "Item", "id": "item-1"},
        {"__typename": "Tag", "label": "loose", "shade": "LIGHT"},
    ]
    body = await run(document, {"id": "item-2"})
    assert body["data"]["node"] == {
        "__typename": "Item",
        "id": "item-2",
        "name": "item 2",
        "tags": [{"label": "t2", "shade": "DARK"}],
    }
    body = await run(document, {"id": "bogus"})
    assert body["data"] == {"node": None, "things": body["data"]["things"]}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_skip_and_include_follow_the_variables(compiled_runs: list[str]) -> None:
    document = """
    query Parts($withTags: Boolean!, $skipName: Boolean = false) {
      items {
        name @skip(if: $skipName)
        tags @include(if: $withTags) { label }
        ... @include(if: $withTags) { price }
      }
    }
    """
    shown = await run(document, {"withTags": True})
    hidden = await run(document, {"withTags": False, "skipName": True})
    again = await run(document, {"withTags": True})
    assert shown["data"]["items"][0] == {
        "name": "item 1",
        "tags": [{"label": "t1"}],
        "price": "1.50",
    }
    assert hidden["data"]["items"][0] == {}
    assert again == shown
    assert compiled_runs == ["Parts", "Parts", "Parts"]


async def test_each_operation_of_a_document_has_its_own_skip_variables(
    compiled_runs: list[str],
) -> None:
    # given a document whose first operation has no @skip and whose second has one
    document = (
        "query A { __typename } query B($s: Boolean!) { __typename @skip(if: $s) x: __typename }"
    )
    # when A runs first, then B with the directive's variable set
    first = await sample.execute(document, operation_name="A", context_value=CONTEXT)
    second = await sample.execute(
        document, operation_name="B", variable_values={"s": True}, context_value=CONTEXT
    )
    # then B answers as graphql-core does
    assert (first.data, first.errors) == ({"__typename": "Query"}, None)
    assert (second.data, second.errors) == ({"x": "Query"}, None)
    assert compiled_runs == ["A", "B"]


async def test_resolvers_that_take_info_see_the_real_path_and_selection() -> None:
    body = await run("{ x: infoPath ...F } fragment F on Query { y: items { later } }")
    assert body["data"]["x"] == ["x", "infoPath"]
    assert body["data"]["y"][1]["later"] == "item 2@['y', 1, 'later']"


async def test_custom_scalars_serialize_like_graphql_core() -> None:
    body = await run('{ items { price madeAt meta } echo(value: {a: [1, "b"]}) }')
    assert body["data"]["items"][0] == {
        "price": "1.50",
        "madeAt": "2024-01-01T12:00:00+00:00",
        "meta": {"n": 1, "ok": True},
    }
    assert body["data"]["echo"] == {"a": [1, "b"]}


async def test_mutations_and_introspection_run_on_the_standard_executor(
    compiled_runs: list[str],
) -> None:
    assert (await run("mutation M { touch }"))["data"] == {"touch": 1}
    body = await run("query I { __schema { queryType { name } } }")
    assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert compiled_runs == []


async def test_a_difference_between_the_paths_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the compiled path answers something else than the standard one
    from schema.execution import fields

    original = fields.execute_fields

    def wrong(*args: Any) -> Any:
        result = original(*args)
        if isinstance(result, dict) and "name" in result:
            result["name"] = "changed"
        return result

    monkeypatch.setattr(fields, "execute_fields", wrong)
    # when
    await run("query Diff { sparse { name } }")
    # then the comparison records both answers
    assert len(differential.mismatches) == 1
    assert "'changed'" in differential.mismatches[0]
    assert "'item 1'" in differential.mismatches[0]
    differential.mismatches.clear()


class Shout(SchemaExtension):
    def resolve(
        self, _next: Any, root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any
    ) -> Any:
        result = _next(root, info, *args, **kwargs)
        return result.upper() if isinstance(result, str) else result


async def test_extensions_with_a_resolve_hook_run_on_the_standard_executor(
    compiled_runs: list[str],
) -> None:
    # given a schema whose extension wraps every resolver
    shouting = CodedErrorsSchema(
        query=sample.query, types=[Person], extensions=[Shout],
        execution_context_class=CompiledExecutionContext,
    )  # fmt: skip
    # when
    result = await shouting.execute("query Loud { sparse { name } }", context_value=CONTEXT)
    # then the hook saw every field
    assert result.data == {"sparse": [{"name": "ITEM 1"}, None, {"name": "ITEM 3"}]}
    assert compiled_runs == []
