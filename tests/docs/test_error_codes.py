"""Every error code the API can answer with is explained in docs/errors.md.

Codes are found in the source: `code=` arguments, `code` attributes and assignments, the
`{"code": ...}` of error extensions, and `ApiError(message, code)`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")


def _strings(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Constant)
            and isinstance(child.value, str)
            and CODE.match(child.value)
        ):
            yield child.value


def _named_code(target: ast.expr) -> bool:
    return (isinstance(target, ast.Name) and target.id == "code") or (
        isinstance(target, ast.Attribute) and target.attr == "code"
    )


def codes_in(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "code":
                    yield from _strings(keyword.value)
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "ApiError" and len(node.args) >= 2:
                yield from _strings(node.args[1])
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_named_code(t) for t in targets):
                yield from _strings(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code":
                    yield from _strings(value)


def api_error_codes() -> set[str]:
    found: set[str] = set()
    for package in ("app", "schema"):
        for path in (ROOT / package).rglob("*.py"):
            if "demo" in path.parts:
                continue  # demo data names discount codes, not error codes
            found.update(codes_in(ast.parse(path.read_text(), filename=str(path))))
    return found


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = api_error_codes()
    assert {"NOT_FOUND", "UNKNOWN_SKU", "INTERNAL_SERVER_ERROR", "UNAUTHENTICATED"} <= codes
    assert {"GRAPHQL_PARSE_FAILED", "PAGE_SIZE_EXCEEDED", "STALE_COUNT"} <= codes


def test_every_error_code_is_documented() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "errors.md").read_text()))
    assert sorted(api_error_codes() - documented) == []
