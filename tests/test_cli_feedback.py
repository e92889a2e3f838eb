"""What the command line tells a new user: progress while seeding, where to go once serving."""

from __future__ import annotations

from app.cli import _banner
from app.database import Database
from app.demo.loader import STEPS, load_demo
from app.demo.partners import DEMO_PARTNER_KEY


async def test_seeding_reports_each_step_in_order(db: Database) -> None:
    # given
    seen: list[tuple[int, int, str]] = []

    # when
    await load_demo(db, progress=lambda *step: seen.append(step))

    # then
    assert [position for position, _, _ in seen] == list(range(1, len(STEPS) + 1))
    assert {total for _, total, _ in seen} == {len(STEPS)}
    assert [name for *_, name in seen][:2] == ["base", "catalog"]


def test_serving_with_demo_data_names_the_explorer_and_the_accounts() -> None:
    banner = _banner("127.0.0.1", 8000, demo=True, graphiql=True)
    assert "http://127.0.0.1:8000/graphql" in banner
    assert "camille.roy@demo.omnigraph.dev" in banner
    assert "admin@demo.omnigraph.dev" in banner
    assert DEMO_PARTNER_KEY in banner


def test_serving_without_explorer_or_demo_says_only_where() -> None:
    banner = _banner("0.0.0.0", 9000, demo=False, graphiql=False)
    assert banner == "Omnigraph is serving http://0.0.0.0:9000/graphql"
