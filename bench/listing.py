"""Read-path benchmark: a listing page (`products(first: 50, channel: "web")` with variants,
prices and availability) or a product page, against a seeded PostgreSQL catalog, served by the
real server in a subprocess, beside the floor: the same SQL run directly on asyncpg.

    .venv/bin/python -m bench.listing                         # listing, 1 worker, 5,000 products
    .venv/bin/python -m bench.listing --workers 2
    .venv/bin/python -m bench.listing --scenario product-page
    .venv/bin/python -m bench.listing --scale 4               # 20,000 products
    .venv/bin/python -m bench.listing --baseline orm          # ORM + a DataLoader per relation

See docs/benchmarks.md for what it measures and the figures recorded so far.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/listing.py` as well as `-m bench.listing`
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bench.floor import Floor, Statement, StatementCapture, measure_floor  # noqa: E402
from bench.gc_probe import DIR_ENV, TARGET_ENV, read_totals  # noqa: E402
from bench.load import Result, check_body, drive, post_request  # noqa: E402
from bench.proc import HOST, CpuMeter, free_port, server, wait_ready  # noqa: E402
from bench.scenarios import (  # noqa: E402
    SCENARIOS,
    SHAPES,
    check_answer,
    request_body,
    schema_has_inventory,
)

ADMIN_URL = os.environ.get(
    "OMNIGRAPH_BENCH_ADMIN_URL",
    os.environ.get(
        "OMNIGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    ),
)
# Every connection of the load comes from one address, whose cost bucket would refuse the
# listing after a few seconds: what is measured here is the read path, not the rate limit.
UNTHROTTLED = {"COST_BUCKET_SIZE": str(10**12), "COST_RESTORE_RATE": str(10**12)}
TARGETS = {
    "main": "app.server:create_app",
    "orm": "bench.baseline_orm:create_app",
}
PRODUCTS_AT_1X = 5000


# --- database -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def throwaway_database(keep: bool) -> AsyncIterator[str]:
    name = f"omnigraph_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        if keep:
            print(f"kept database: {url}")
        else:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def prepare(url: str, products: int, variants: int) -> None:
    from app.database import Database
    from app.migrate import upgrade
    from bench.seed import seed_catalog

    db = Database.from_url(url, pool_size=2)
    try:
        started = time.perf_counter()
        await upgrade(db.engine)
        migrated = time.perf_counter()
        counts = await seed_catalog(db, products, variants)
        seeded = time.perf_counter()
    finally:
        await db.dispose()
    print(f"migrated in {migrated - started:.1f} s; seeded {counts} in {seeded - migrated:.1f} s")


@dataclass(slots=True)
class Shape:
    statements: list[Statement]
    products: int
    variants: int
    fields: int
    response_bytes: int
    extra: str


async def measure_shape(url: str, mode: str, scenario: str, body: dict[str, Any]) -> Shape:
    """The statements one request sends (captured in-process on the engine, with their
    parameters, for the floor) and the size of its answer, for the same document."""
    from app.config import Settings
    from app.database import Database

    db = Database.from_url(url, pool_size=5)
    if mode == "orm":
        from bench.baseline_orm import create_app as create_baseline

        application = create_baseline(db)
    else:
        from app.server import create_app

        application = create_app(Settings(database_url=url, redis_url=None), db)
    capture = StatementCapture()
    try:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.post("/graphql", json=body)  # first request pays for caches
            event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
            response = await client.post("/graphql", json=body)
            event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
    finally:
        await db.dispose()
    response.raise_for_status()
    check_body(response.content)
    answer = check_answer(scenario, response.json()["data"])
    return Shape(
        statements=capture.statements,
        products=answer.products,
        variants=answer.variants,
        fields=answer.fields,
        response_bytes=len(response.content),
        extra=answer.extra,
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(label: str, result: Result, cpu: dict[str, float] | None) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "requests": result.requests,
        "seconds": round(result.elapsed, 2),
        "req_per_s": round(result.rate, 1),
        "p50_ms": round(result.percentile(50) * 1000, 1),
        "p99_ms": round(result.percentile(99) * 1000, 1),
        "errors": result.errors,
    }
    line = (
        f"{label:<8} {result.requests:>6} req in {result.elapsed:5.1f} s = "
        f"{result.rate:6.1f} req/s  p50 {_ms(result.percentile(50))} ms  "
        f"p99 {_ms(result.percentile(99))} ms  errors {result.errors}"
    )
    if cpu is not None:
        # Percent of one core over the phase.
        shares = {k: round(100 * v / result.elapsed) for k, v in cpu.items()}
        figures["cpu_pct"] = shares
        # CPU milliseconds per request: less sensitive to other load than the rate is.
        per_request = {
            k: round(1000 * cpu[k] / max(1, result.requests), 1) for k in ("server", "postgres")
        }
        figures["cpu_ms_per_request"] = per_request
        line += "\n         cpu (% of one core): " + "  ".join(
            f"{k} {v}" for k, v in shares.items()
        )
        line += (
            f"\n         cpu per request: server {per_request['server']} ms, "
            f"postgres {per_request['postgres']} ms"
        )
    print(line)
    return figures


def start_profiler(pid: int, seconds: float, output: str) -> subprocess.Popen[bytes]:
    py_spy = Path(sys.executable).with_name("py-spy")
    command = [str(py_spy), "record", "--pid", str(pid), "--duration", str(int(seconds)),
               "--rate", "100", "--format", "speedscope" if output.endswith(".json")
               else "flamegraph", "--output", output, "--nonblocking"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def gc_report(before: dict[str, Any], after: dict[str, Any], requests: int) -> dict[str, Any]:
    """The collector's share of the server's CPU, and what it freed per request (objects that
    only the cycle collector frees: reference cycles left behind by requests)."""
    seconds = after["seconds"] - before["seconds"]
    cpu = after["cpu_seconds"] - before["cpu_seconds"]
    collected = after["collected"] - before["collected"]
    collections = [a - b for a, b in zip(after["collections"], before["collections"], strict=True)]
    figures = {
        "gc_ms_per_request": round(1000 * seconds / max(1, requests), 2),
        "gc_share_of_server_cpu_pct": round(100 * seconds / cpu, 1) if cpu else 0.0,
        "cycle_objects_per_request": round(collected / max(1, requests)),
        "collections_by_generation": collections,
    }
    print(
        f"         gc: {figures['gc_share_of_server_cpu_pct']}% of server CPU, "
        f"{figures['gc_ms_per_request']} ms and {figures['cycle_objects_per_request']} "
        f"objects in reference cycles freed per request; collections (gen 0/1/2) "
        f"{'/'.join(map(str, collections))}"
    )
    return figures


async def _settled_totals(directory: Path) -> dict[str, Any]:
    await asyncio.sleep(0.7)  # the workers write their totals every 0.5 s
    return read_totals(directory)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    mode = args.baseline or "main"
    inventory = schema_has_inventory()
    availability = inventory and mode == "main" and not args.no_availability
    if args.scenario == "product-page" and (mode != "main" or not inventory):
        raise SystemExit("the product page needs the main read path with inventory")
    body = request_body(args.scenario, args.shape, availability, args.first)
    products = args.products or PRODUCTS_AT_1X * args.scale
    load1, load5, _ = os.getloadavg()
    print(
        f"scenario {args.scenario}; mode {mode}; shape {args.shape}; products {products}; "
        f"workers {args.workers}; connections {args.connections}; inventory in schema: "
        f"{inventory}; availability queried: {availability}; "
        f"load average before: {load1:.2f} {load5:.2f}"
    )
    figures: dict[str, Any] = {
        "scenario": args.scenario,
        "mode": mode,
        "shape": args.shape,
        "products": products,
        "workers": args.workers,
        "connections": args.connections,
        "availability": availability,
        "load_before": [round(load1, 2), round(load5, 2)],
    }
    async with throwaway_database(args.keep) as url:
        database = make_url(url).database or ""
        await prepare(url, products, args.variants)
        shape = await measure_shape(url, mode, args.scenario, body)
        print(
            f"one request: {len(shape.statements)} SQL statements, {shape.products} products, "
            f"{shape.variants} variants, {shape.fields} fields, {shape.response_bytes} bytes"
            f"{shape.extra}"
        )
        floor: Floor = await measure_floor(url, shape.statements)
        print(
            f"floor: the same {floor.statements} statements on asyncpg directly, "
            f"median {floor.median_ms:.2f} ms (each: "
            f"{', '.join(f'{ms:.2f}' for ms in floor.per_statement_ms)} ms)"
        )
        figures.update(statements=len(shape.statements), fields=shape.fields,
                       response_bytes=shape.response_bytes,
                       floor_ms=round(floor.median_ms, 2))  # fmt: skip
        port = free_port()
        request = post_request(HOST, port, "/graphql", body)
        with tempfile.TemporaryDirectory(prefix="omnigraph-gc-") as gc_dir:
            extra_env = {TARGET_ENV: TARGETS[mode], DIR_ENV: gc_dir, **UNTHROTTLED}
            with server("bench.gc_probe:create_app", url, port, args.workers,
                        extra_env) as process:  # fmt: skip
                await wait_ready(process, port)
                meter = CpuMeter(process.pid, database)
                await drive(HOST, port, request, connections=args.connections,
                            seconds=args.warmup, max_requests=100_000)  # fmt: skip
                if args.unloaded > 0:
                    result = await drive(HOST, port, request, connections=1,
                                         seconds=args.unloaded, max_requests=10_000)  # fmt: skip
                    figures["unloaded"] = report("1 conn", result, None)
                    p50 = result.percentile(50) * 1000
                    ratio = p50 / floor.median_ms if floor.median_ms else float("nan")
                    figures["overhead_ratio"] = round(ratio, 2)
                    print(
                        f"         unloaded p50 / floor = {p50:.1f} / {floor.median_ms:.2f} ms"
                        f" = {ratio:.1f}x"
                    )
                profiler = (
                    start_profiler(process.pid, args.duration, args.py_spy) if args.py_spy else None
                )
                gc_before = await _settled_totals(Path(gc_dir))
                before = meter.sample()
                result = await drive(HOST, port, request, connections=args.connections,
                                     seconds=args.duration,
                                     max_requests=args.max_requests)  # fmt: skip
                cpu = meter.since(before)
                figures["loaded"] = report(f"{args.connections} conn", result, cpu)
                gc_after = await _settled_totals(Path(gc_dir))
                figures["gc"] = gc_report(gc_before, gc_after, result.requests)
                if profiler is not None:
                    profiler.wait(timeout=args.duration + 30)
                    print(f"profile written to {args.py_spy}")
    load1, load5, _ = os.getloadavg()
    figures["load_after"] = [round(load1, 2), round(load5, 2)]
    print(f"load average after: {load1:.2f} {load5:.2f}")
    return figures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.listing", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scenario", choices=SCENARIOS, default="listing")
    parser.add_argument(
        "--scale", type=int, choices=[1, 4], default=1,
        help=f"catalog size: 1 = {PRODUCTS_AT_1X:,} products, 4 = {4 * PRODUCTS_AT_1X:,}",
    )  # fmt: skip
    parser.add_argument("--products", type=int, help="exact catalog size (overrides --scale)")
    parser.add_argument("--baseline", choices=["orm"], help="serve through the ORM baseline")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before measuring")
    parser.add_argument(
        "--unloaded", type=float, default=5, help="seconds on one connection (0 to skip)"
    )
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per phase")
    parser.add_argument("--first", type=int, default=50, help="page size")
    parser.add_argument(
        "--shape", choices=sorted(SHAPES), default="card", help="which fields the listing selects"
    )
    parser.add_argument("--variants", type=int, default=4, help="variants per product")
    parser.add_argument(
        "--no-availability", action="store_true", help="leave inventory out of the listing"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--py-spy", metavar="OUTPUT", help="profile the server during the load (.svg or .json)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.py_spy and args.workers != 1:
        raise SystemExit("--py-spy profiles one process: use it with --workers 1")

    async def guarded() -> dict[str, Any]:
        # SIGTERM cancels the run like Ctrl-C does, so the server and the database go too.
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await run(args)

    try:
        figures = asyncio.run(guarded())
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted", file=sys.stderr)
        return 130
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
