"""What a query selected below a field, with fragments folded in.

Resolvers use it to fetch a whole subtree of a list in a fixed number of statements instead
of one awaitable per child field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

Tree = dict[str, "Tree"]


def _fold(selections: Iterable[Selection], into: Tree) -> Tree:
    for selection in selections:
        if isinstance(selection, SelectedField):
            child = into.setdefault(selection.name, {})
            _fold(selection.selections, child)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            _fold(selection.selections, into)
    return into


def selection_tree(info: Info[Any, Any]) -> Tree:
    """The fields selected below the current field (all aliases merged)."""
    tree: Tree = {}
    for field in info.selected_fields:
        _fold(field.selections, tree)
    return tree


def connection_nodes(tree: Tree) -> Tree:
    """The node selection of a connection, whether asked through `edges.node` or `nodes`."""
    merged: Tree = {}
    for source in (tree.get("edges", {}).get("node", {}), tree.get("nodes", {})):
        _merge(merged, source)
    return merged


def _merge(into: Tree, other: Tree) -> None:
    for key, sub in other.items():
        _merge(into.setdefault(key, {}), sub)
