"""Schema evolution: what a new SDL breaks for clients of a released one.

A field, argument or enum value may be removed only after a release that marked it
@deprecated; every other breaking change (a type removed, a type changed, an argument made
required...) is refused. CHANGELOG.md states the policy; `omnigraph schema check` applies it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChange,
    BreakingChangeType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
)

ROOT = Path(__file__).resolve().parent.parent
RELEASES_DIR = ROOT / "docs" / "schema"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Release:
    version: str
    sdl: str


def _version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.match(version)
    return tuple(int(p) for p in match.groups()) if match else (-1,)


def latest_release() -> Release:
    """The newest released SDL: the latest `vX.Y.Z` git tag, else the newest snapshot kept in
    docs/schema/ (one file per release, written when a release is cut)."""
    try:
        tags = subprocess.run(
            ["git", "tag", "--list", "v*"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        tags = []
    released = sorted((t for t in tags if _VERSION.match(t[1:])), key=lambda t: _version_key(t[1:]))
    if released:
        tag = released[-1]
        sdl = subprocess.run(
            ["git", "show", f"{tag}:schema.graphql"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return Release(tag[1:], sdl)
    snapshots = sorted(RELEASES_DIR.glob("*.graphql"), key=lambda p: _version_key(p.stem))
    if not snapshots:
        raise FileNotFoundError(f"no release tag and no snapshot in {RELEASES_DIR}")
    return Release(snapshots[-1].stem, snapshots[-1].read_text())


def _deprecated_members(schema: GraphQLSchema) -> set[str]:
    """`Type.field`, `Type.field.arg` and `Enum.VALUE` names marked @deprecated."""
    found: set[str] = set()
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if field.deprecation_reason is not None:
                    found.add(f"{name}.{field_name}")
                for arg_name, arg in field.args.items():
                    if arg.deprecation_reason is not None:
                        found.add(f"{name}.{field_name}.{arg_name}")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                if input_field.deprecation_reason is not None:
                    found.add(f"{name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if value.deprecation_reason is not None:
                    found.add(f"{name}.{value_name}")
    return found


# The removals that a deprecation may announce, as graphql-core words them (3.3, then 3.2).
_REMOVALS = {
    BreakingChangeType.FIELD_REMOVED: (
        re.compile(r"^(?:Field )?(?P<owner>\w+)\.(?P<member>\w+) was removed\.$"),
    ),
    BreakingChangeType.ARG_REMOVED: (
        re.compile(r"^Argument (?P<owner>\w+\.\w+)\((?P<member>\w+):\) was removed\.$"),
        re.compile(r"^(?P<owner>\w+\.\w+) arg (?P<member>\w+) was removed\.$"),
    ),
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM: (
        re.compile(r"^Enum value (?P<owner>\w+)\.(?P<member>\w+) was removed\.$"),
        re.compile(r"^(?P<member>\w+) was removed from enum type (?P<owner>\w+)\.$"),
    ),
}


def _announced(change: BreakingChange, deprecated: set[str]) -> bool:
    for pattern in _REMOVALS.get(change.type, ()):  # type: ignore[call-overload]
        match = pattern.match(change.description)
        if match is not None:
            return f"{match['owner']}.{match['member']}" in deprecated
    return False


def unannounced_breaking_changes(old_sdl: str, new_sdl: str) -> list[BreakingChange]:
    """Breaking changes from old to new that no deprecation in old announced."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    deprecated = _deprecated_members(old)
    return [c for c in find_breaking_changes(old, new) if not _announced(c, deprecated)]
