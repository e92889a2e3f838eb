"""Listing benchmark: `products(first: 50, channel: "web")` with variants and prices (and
availability, when the schema has inventory) against a seeded PostgreSQL catalog, served by
the real server in a subprocess.

    .venv/bin/python -m bench.listing                 # the API's read path, 1 worker
    .venv/bin/python -m bench.listing --workers 2
    .venv/bin/python -m bench.listing --baseline orm  # ORM models + a DataLoader per relation

See docs/benchmarks.md for what it measures and the figures recorded so far.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
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

from bench.load import Result, check_body, drive, post_request  # noqa: E402

HOST = "127.0.0.1"
ADMIN_URL = os.environ.get(
    "OMNIGRAPH_BENCH_ADMIN_URL",
    os.environ.get(
        "OMNIGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    ),
)
TARGETS = {
    "main": "app.server:create_app",
    "orm": "bench.baseline_orm:create_app",
}

# Two selections of the same list: `card` is what a storefront listing shows (close in size to
# the ~1,650 fields of the calibration runs in CONVENTIONS.md), `detail` asks for every
# variant field a product page would.
SHAPES = {
    "card": (
        "id handle title",
        "id sku title price { amount currencyCode }",
        "inventory(channel: $channel) { available }",
    ),
    "detail": (
        "id handle title vendor productType",
        "id sku title barcode position selectedOptions { name value } "
        "price { amount currencyCode } compareAtPrice { amount currencyCode }",
        "inventory(channel: $channel) { available onHand reserved }",
    ),
}
QUERY = """
query Listing($channel: String!, $first: Int!) {
  products(first: $first, channel: $channel) {
    edges { cursor node { %s variants { %s %s } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def schema_has_inventory() -> bool:
    from schema.schema import schema

    variant = schema._schema.type_map.get("ProductVariant")
    return variant is not None and "inventory" in getattr(variant, "fields", {})


def listing_query(shape: str, availability: bool) -> str:
    product, variant, stock = SHAPES[shape]
    return QUERY % (product, variant, stock if availability else "")


def count_fields(value: Any) -> int:
    """Field results in a response: every key of every object below `data`."""
    if isinstance(value, dict):
        return len(value) + sum(count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


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
    statements: int
    products: int
    variants: int
    fields: int
    response_bytes: int


async def measure_shape(url: str, mode: str, body: dict[str, Any]) -> Shape:
    """Statements per request, counted in-process on the engine, for the same document."""
    from app.config import Settings
    from app.database import Database

    db = Database.from_url(url, pool_size=5)
    if mode == "orm":
        from bench.baseline_orm import create_app as create_baseline

        application = create_baseline(db)
    else:
        from app.server import create_app

        application = create_app(Settings(database_url=url, redis_url=None), db)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    try:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.post("/graphql", json=body)  # first request pays for caches
            event.listen(db.engine.sync_engine, "before_cursor_execute", count)
            response = await client.post("/graphql", json=body)
            event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    finally:
        await db.dispose()
    response.raise_for_status()
    check_body(response.content)
    data = response.json()["data"]
    edges = data["products"]["edges"]
    return Shape(
        statements=len(statements),
        products=len(edges),
        variants=sum(len(e["node"]["variants"]) for e in edges),
        fields=count_fields(data),
        response_bytes=len(response.content),
    )


# --- server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(target: str, url: str, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    """uvicorn in its own process group, stopped (with any workers) however we leave."""
    env = {**os.environ, "DATABASE_URL": url, "GRAPHIQL": "false", "LOG_LEVEL": "warning"}
    command = [
        sys.executable, "-m", "uvicorn", target, "--factory", "--host", HOST,
        "--port", str(port), "--workers", str(workers), "--log-level", "warning",
        "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


async def wait_ready(process: subprocess.Popen[bytes], port: int, within: float = 30) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://{HOST}:{port}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError("server did not become ready")


# --- CPU accounting (from /proc, Linux only) -----------------------------------------------


def _process_ticks(pgrp: int, database: str) -> tuple[int, int]:
    """CPU ticks of the server's process group and of the PostgreSQL backends serving it."""
    server = backends = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12])  # utime + stime
            if int(fields[2]) == pgrp:
                server += ticks
            elif name == "postgres" and database in (entry / "cmdline").read_text():
                backends += ticks
        except (OSError, ValueError, IndexError):
            continue
    return server, backends


def _machine_ticks() -> int:
    """Busy CPU ticks of the whole machine (every core, every process)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in fields]
    return sum(values) - values[3] - values[4]  # minus idle and iowait


class CpuMeter:
    """Where the cores went during a phase: the server, its PostgreSQL backends, this client,
    and everything else on the machine (other processes skew the figures)."""

    def __init__(self, server_pgrp: int, database: str) -> None:
        self.pgrp = server_pgrp
        self.database = database
        self.hz = os.sysconf("SC_CLK_TCK")

    def sample(self) -> tuple[int, int, int, float]:
        server, backends = _process_ticks(self.pgrp, self.database)
        return server, backends, _machine_ticks(), time.process_time()

    def since(self, before: tuple[int, int, int, float]) -> dict[str, float]:
        after = self.sample()
        server, backends, machine = ((after[i] - before[i]) / self.hz for i in range(3))
        client = after[3] - before[3]
        return {
            "server": server,
            "postgres": backends,
            "client": client,
            "other": max(0.0, machine - server - backends - client),
        }


# --- the run ------------------------------------------------------------------------------


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


async def run(args: argparse.Namespace) -> dict[str, Any]:
    mode = args.baseline or "main"
    inventory = schema_has_inventory()
    availability = inventory and mode == "main" and not args.no_availability
    document = listing_query(args.shape, availability)
    body = {"query": document, "variables": {"channel": "web", "first": args.first}}
    load1, load5, _ = os.getloadavg()
    print(
        f"mode {mode}; shape {args.shape}; workers {args.workers}; connections {args.connections}; "
        f"inventory in schema: {inventory}; availability queried: {availability}; "
        f"load average before: {load1:.2f} {load5:.2f}"
    )
    figures: dict[str, Any] = {
        "mode": mode,
        "shape": args.shape,
        "workers": args.workers,
        "connections": args.connections,
        "availability": availability,
        "load_before": [round(load1, 2), round(load5, 2)],
    }
    async with throwaway_database(args.keep) as url:
        database = make_url(url).database or ""
        await prepare(url, args.products, args.variants)
        shape = await measure_shape(url, mode, body)
        print(
            f"one request: {shape.statements} SQL statements, {shape.products} products, "
            f"{shape.variants} variants, {shape.fields} fields, {shape.response_bytes} bytes"
        )
        figures["statements"] = shape.statements
        figures["fields"] = shape.fields
        figures["response_bytes"] = shape.response_bytes
        port = free_port()
        request = post_request(HOST, port, "/graphql", body)
        with server(TARGETS[mode], url, port, args.workers) as process:
            await wait_ready(process, port)
            meter = CpuMeter(process.pid, database)
            await drive(HOST, port, request, connections=args.connections,
                        seconds=args.warmup, max_requests=100_000)  # fmt: skip
            if args.unloaded > 0:
                result = await drive(HOST, port, request, connections=1,
                                     seconds=args.unloaded, max_requests=10_000)  # fmt: skip
                figures["unloaded"] = report("1 conn", result, None)
            profiler = (
                start_profiler(process.pid, args.duration, args.py_spy) if args.py_spy else None
            )
            before = meter.sample()
            result = await drive(HOST, port, request, connections=args.connections,
                                 seconds=args.duration, max_requests=args.max_requests)  # fmt: skip
            figures["loaded"] = report(f"{args.connections} conn", result, meter.since(before))
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
        "--shape", choices=sorted(SHAPES), default="card", help="which fields the query selects"
    )
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--variants", type=int, default=4, help="variants per product")
    parser.add_argument(
        "--no-availability", action="store_true", help="leave inventory out of the query"
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
