"""The import contract that keeps repositories out of the GraphQL layer names every one."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _forbidden_for_schema() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract.get("source_modules") == ["schema"] and contract["type"] == "forbidden":
            return list(contract["forbidden_modules"])
    raise AssertionError("no contract keeps schema from importing repositories")


def test_every_repository_module_is_forbidden_to_the_schema() -> None:
    # given every repository module of the application
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "app").rglob("*.py")
        if path.stem == "repository" or path.stem.endswith("_repository")
    ]
    # when
    forbidden = _forbidden_for_schema()
    # then: plain `repository` modules fall under the wildcard, the others are listed
    assert "app.**.repository" in forbidden
    missing = [m for m in modules if not m.endswith(".repository") and m not in forbidden]
    assert modules
    assert missing == []
