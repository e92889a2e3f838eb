"""Example operations for each audience, kept as .graphql files beside this module.

Each file holds named operations; the comment lines just above an operation describe it, and a
`# variables: {...}` line among them gives its variables. The explorer opens one tab per
operation, and the test suite runs every one of them against the demo data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse

from app.demo.partners import DEMO_PARTNER_KEY
from app.demo.staff import DEMO_PASSWORD

OPERATIONS_DIR = Path(__file__).resolve().parent / "operations"
VARIABLES_PREFIX = "# variables:"


@dataclass(frozen=True)
class SignIn:
    """How the explorer signs in as a demo account: the login mutation and the email."""

    mutation: str  # customerLogin or staffLogin
    email: str
    password: str = DEMO_PASSWORD


@dataclass(frozen=True)
class Audience:
    key: str
    title: str
    channel: str
    sign_in: SignIn | None = None
    api_key: str | None = None


AUDIENCES = (
    Audience("storefront", "Storefront (web, anonymous)", "web"),
    Audience(
        "mobile",
        "Mobile app (Camille Roy)",
        "app",
        sign_in=SignIn("customerLogin", "camille.roy@demo.omnigraph.dev"),
    ),
    Audience(
        "pos",
        "Point of sale (Downtown associate)",
        "pos",
        sign_in=SignIn("staffLogin", "downtown@demo.omnigraph.dev"),
    ),
    Audience(
        "operations",
        "Operations (operations manager)",
        "web",
        sign_in=SignIn("staffLogin", "ops@demo.omnigraph.dev"),
    ),
    Audience("partner", "Partner (demo API key)", "marketplace-us", api_key=DEMO_PARTNER_KEY),
)


@dataclass(frozen=True)
class Example:
    audience: str
    name: str
    query: str  # the operation with its describing comments
    variables: dict[str, Any]


def _leading_comments(lines: list[str], first_line: int) -> list[str]:
    """The run of comment lines right above line `first_line` (0-based), nearest last."""
    found: list[str] = []
    index = first_line - 1
    while index >= 0 and lines[index].lstrip().startswith("#"):
        found.append(lines[index].strip())
        index -= 1
    return list(reversed(found))


def parse_examples(audience: str, source: str) -> list[Example]:
    document = parse(source)
    lines = source.splitlines()
    examples = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode) or definition.loc is None:
            continue
        if definition.name is None:
            raise ValueError(f"{audience}: every example operation needs a name")
        comments = _leading_comments(lines, definition.loc.start_token.line - 1)
        variables: dict[str, Any] = {}
        described = []
        for comment in comments:
            if comment.startswith(VARIABLES_PREFIX):
                variables = json.loads(comment[len(VARIABLES_PREFIX) :])
            else:
                described.append(comment)
        body = source[definition.loc.start : definition.loc.end]
        examples.append(
            Example(audience, definition.name.value, "\n".join([*described, body]), variables)
        )
    return examples


@cache
def all_examples() -> dict[str, list[Example]]:
    """Every audience's examples, in the order of AUDIENCES."""
    return {
        audience.key: parse_examples(
            audience.key, (OPERATIONS_DIR / f"{audience.key}.graphql").read_text()
        )
        for audience in AUDIENCES
    }
