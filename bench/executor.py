"""CPU per request of the listing on each execution path, in process (no HTTP, no server):
graphql-core's standard executor against the compiled plans of schema/execution.

    .venv/bin/python -m bench.executor                  # 200 products x 4 variants, 300 runs
    .venv/bin/python -m bench.executor --requests 1000
    .venv/bin/python -m bench.executor --memory         # root field answered from memory

The catalog is seeded by bench.seed into a throwaway PostgreSQL database (as bench.listing).
`--memory` answers the root field from a connection built once, so only execution is
measured (graphql-core's own ceiling against the plan's).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext  # noqa: E402

from bench.listing import count_fields, listing_query, schema_has_inventory  # noqa: E402
from schema.execution.context import CompiledExecutionContext  # noqa: E402

PATHS = {"standard": StrawberryGraphQLCoreExecutionContext, "compiled": CompiledExecutionContext}


async def _database(products: int, variants: int) -> tuple[Any, Callable[[], Any]]:
    from app.database import Database
    from app.migrate import upgrade
    from bench.listing import throwaway_database
    from bench.seed import seed_catalog

    holder = throwaway_database(keep=False)
    url = await holder.__aenter__()
    db = Database.from_url(url, pool_size=2)

    async def cleanup() -> None:
        await db.dispose()
        await holder.__aexit__(None, None, None)

    await upgrade(db.engine)
    await seed_catalog(db, products, variants)
    return db, cleanup


def _context(db: Any) -> Any:
    from app.auth.viewer import ANONYMOUS
    from app.config import Settings
    from schema.context import Context

    settings = Settings(database_url=str(db.engine.url), redis_url=None)
    return Context(db=db, settings=settings, viewer=ANONYMOUS, request_id=uuid.uuid4().hex)


async def _measure(
    schema: Any, query: str, variables: dict[str, Any], make_context: Callable[[], Any], n: int
) -> tuple[float, float, dict[str, Any]]:
    """CPU ms and wall ms per request, and one response."""
    result = await schema.execute(query, variables, context_value=make_context())
    assert not result.errors, result.errors
    for _ in range(max(5, n // 20)):  # warm caches and plans
        await schema.execute(query, variables, context_value=make_context())
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        await schema.execute(query, variables, context_value=make_context())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / n, wall * 1000 / n, result.data


async def _cycles(schema: Any, query: str, variables: dict[str, Any], context: Any) -> int:
    """Objects left in reference cycles by one request (found by a full collection)."""
    gc.collect()
    gc.disable()
    try:
        await schema.execute(query, variables, context_value=context)
        return gc.collect()
    finally:
        gc.enable()


def _memory_root(schema: Any) -> None:
    """Answer `products` with a connection built once (by the real resolver)."""
    from graphql import GraphQLObjectType

    query_type = schema._schema.query_type
    assert isinstance(query_type, GraphQLObjectType)
    field = query_type.fields["products"]
    real = field.resolve
    cached: dict[str, Any] = {}

    async def from_memory(source: Any, info: Any, **kwargs: Any) -> Any:
        if "value" not in cached:
            cached["value"] = await real(source, info, **kwargs)  # type: ignore[misc]
        return cached["value"]

    field.resolve = from_memory


async def run(args: argparse.Namespace) -> None:
    from schema.schema import schema

    db, cleanup = await _database(args.products, args.variants)
    try:
        query = listing_query(args.shape, schema_has_inventory())
        variables = {"channel": "web", "first": args.first}
        if args.memory:
            _memory_root(schema)
        figures: dict[str, float] = {}
        answers = []
        for name, context_class in PATHS.items():
            schema.execution_context_class = context_class
            cpu, wall, data = await _measure(
                schema, query, variables, lambda: _context(db), args.requests
            )
            cycles = await _cycles(schema, query, variables, _context(db))
            figures[name] = cpu
            answers.append(data)
            print(
                f"{name:>9}: {cpu:7.2f} ms CPU/request, {wall:7.2f} ms wall/request, "
                f"{cycles} objects in cycles after one request"
            )
        assert answers[0] == answers[1], "the two paths answered differently"
        print(
            f"listing {args.shape} first={args.first} on PostgreSQL"
            f"{' (root from memory)' if args.memory else ''}: {count_fields(answers[0])} fields;"
            f" standard/compiled CPU = {figures['standard'] / figures['compiled']:.2f}x"
        )
    finally:
        schema.execution_context_class = CompiledExecutionContext
        await cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--variants", type=int, default=4)
    parser.add_argument("--first", type=int, default=50)
    parser.add_argument("--shape", choices=["card", "detail"], default="card")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--memory", action="store_true", help="root field answered from memory")
    args = parser.parse_args(argv)
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
