"""The schema evolution policy: removals must be announced by a deprecation in a release."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from schema.evolution import latest_release, unannounced_breaking_changes

RELEASED = """
type Query {
  product(id: ID!): Product
  products(first: Int, query: String @deprecated(reason: "use search")): [Product!]!
}
type Product {
  id: ID!
  title: String!
  legacyCode: String @deprecated(reason: "use sku")
  sku: String!
  status: Status!
}
enum Status { ACTIVE DRAFT ARCHIVED @deprecated(reason: "use DRAFT") }
"""


def _descriptions(old: str, new: str) -> list[str]:
    return [c.description for c in unannounced_breaking_changes(old, new)]


def test_adding_fields_breaks_nothing() -> None:
    assert (
        _descriptions(RELEASED, RELEASED.replace("sku: String!", "sku: String!\n  gtin: String"))
        == []
    )


def test_removing_a_field_nobody_was_warned_about_is_breaking() -> None:
    (removed,) = _descriptions(RELEASED, RELEASED.replace("  title: String!\n", ""))
    assert "Product.title" in removed


def test_removing_deprecated_members_is_allowed() -> None:
    new = (
        RELEASED.replace('  legacyCode: String @deprecated(reason: "use sku")\n', "")
        .replace(', query: String @deprecated(reason: "use search")', "")
        .replace(' ARCHIVED @deprecated(reason: "use DRAFT")', "")
    )
    assert _descriptions(RELEASED, new) == []


def test_a_deprecation_does_not_excuse_a_type_change() -> None:
    new = RELEASED.replace('legacyCode: String @deprecated(reason: "use sku")', "legacyCode: Int")
    (changed,) = _descriptions(RELEASED, new)
    assert "Product.legacyCode changed type" in changed


def test_making_an_argument_required_is_breaking() -> None:
    new = RELEASED.replace("product(id: ID!)", "product(id: ID!, channel: String!)")
    assert len(_descriptions(RELEASED, new)) == 1


def test_the_committed_schema_keeps_the_last_release(capsys: object) -> None:
    release = latest_release()
    current = (Path(__file__).resolve().parents[1] / "schema.graphql").read_text()
    assert unannounced_breaking_changes(release.sdl, current) == []
    assert main(["schema", "check"]) == 0


def test_the_check_command_fails_on_a_breaking_change(tmp_path: Path) -> None:
    release = latest_release()
    broken = tmp_path / "schema.graphql"
    broken.write_text(release.sdl.replace("channels: [Channel!]!", "channels: [Channel!]"))
    assert main(["schema", "check", "--sdl", str(broken)]) == 1
