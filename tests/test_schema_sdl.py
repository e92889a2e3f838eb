from __future__ import annotations

from pathlib import Path

from schema.schema import schema

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_sdl_matches_the_schema() -> None:
    # Regenerate with: omnigraph schema print > schema.graphql
    assert SDL.read_text() == schema.as_str() + "\n"


def test_fixed_api_names_exist() -> None:
    sdl = SDL.read_text()
    for name in ("node(", "nodes(", "channels", "products(", "product(", "variant(", "staffLogin"):
        assert name in sdl
