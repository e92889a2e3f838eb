"""EXPLAIN (ANALYZE) of the product list's page statement for every sort key, both directions,
with and without an `after` cursor, and of its `totalCount`, on a seeded catalog.

    .venv/bin/python -m bench.explain --scale 4        # 20,000 products
    .venv/bin/python -m bench.explain --plans          # print the whole plans too

A page that reads its rows in index order shows no Sort node and reads about `first` rows of
the listing; one that sorts the catalog shows a Sort over every product of the channel.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.floor import StatementCapture  # noqa: E402
from bench.listing import PRODUCTS_AT_1X, prepare, throwaway_database  # noqa: E402


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _walk(child))]


def summarise(plan: dict[str, Any]) -> str:
    nodes = _walk(plan["Plan"])
    sorts = [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
    scans = [n for n in nodes if "Scan" in n["Node Type"]]
    seq = [n for n in scans if n["Node Type"] == "Seq Scan"]
    listing = [n for n in scans if n.get("Relation Name") == "product_listing"]
    listing_rows = sum(n["Actual Rows"] * n.get("Actual Loops", 1) for n in listing)
    # What a Sort node took in: the rows of the node below it, not the `first` it kept.
    sorted_rows = max((sum(c["Actual Rows"] for c in n.get("Plans", [])) for n in sorts), default=0)
    return (
        f"{plan['Execution Time']:7.2f} ms  sort: "
        f"{'none' if not sorts else f'{len(sorts)} node(s), {sorted_rows} rows'}; "
        f"seq scans: {', '.join(n['Relation Name'] for n in seq) or 'none'}; "
        f"listing rows read: {listing_rows}"
    )


async def explain(conn: asyncpg.Connection, sql: str, parameters: tuple[Any, ...]) -> Any:
    for _ in range(3):  # warm the caches; the last run is reported
        raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *parameters)
    return json.loads(raw)[0]


async def run(args: argparse.Namespace) -> None:
    from app.catalog import repository
    from app.catalog.views import ProductQuery, ProductSortKey
    from app.database import Database
    from app.kit.pagination import PageRequest

    products = args.products or PRODUCTS_AT_1X * args.scale
    async with throwaway_database(keep=False) as url:
        await prepare(url, products, 4)
        db = Database.from_url(url, pool_size=2)
        parsed = make_url(url)
        conn = await asyncpg.connect(host=parsed.host, port=parsed.port or 5432,
                                     user=parsed.username, database=parsed.database)  # fmt: skip
        capture = StatementCapture()
        event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
        try:
            print(f"{products} products; page statement of products(channel: web, first: 50)")
            for key in ProductSortKey:
                for reverse in (False, True):
                    query = ProductQuery(locale=args.locale, fallback_locale="en", channel_id=1,
                                         currency_code="CAD", sort_key=key,
                                         reverse=reverse)  # fmt: skip
                    after: str | None = None
                    for label in ("first page", "after cursor"):
                        capture.statements.clear()
                        page = await repository.product_page(
                            db, query, PageRequest(first=50, after=after),
                            default_size=50, max_size=250,
                        )  # fmt: skip
                        statement = capture.statements[-1]
                        plan = await explain(conn, statement.sql, statement.parameters)
                        name = f"{key.value}{' reverse' if reverse else ''}, {label}"
                        print(f"  {name:<32} {summarise(plan)}")
                        if args.plans:
                            print(statement.sql)
                            print(json.dumps(plan["Plan"], indent=1)[:4000])
                        after = page.cursors[-1] if page.cursors else None
                        if label == "first page" and key is ProductSortKey.TITLE and not reverse:
                            capture.statements.clear()
                            await page.count()
                            counted = capture.statements[-1]
                            plan = await explain(conn, counted.sql, counted.parameters)
                            print(f"  {'totalCount':<32} {summarise(plan)}")
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
            await conn.close()
            await db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    parser.add_argument("--scale", type=int, choices=[1, 4], default=4)
    parser.add_argument("--products", type=int, help="exact catalog size (overrides --scale)")
    parser.add_argument("--locale", default="en")
    parser.add_argument("--plans", action="store_true", help="print the whole plans")
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
