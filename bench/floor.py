"""The floor under a request: the SQL it issued, run directly on asyncpg with nothing above.

One request is served in-process with a `before_cursor_execute` listener that records every
statement and its parameters as sent to the driver. The floor replays them one after another
on a single asyncpg connection (prepared, like SQLAlchemy's asyncpg dialect does) and takes the
median time of the whole set. The server can do no better than this unless it issues fewer or
cheaper statements, so unloaded p50 / floor is the overhead of everything above the database.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url


@dataclass(slots=True)
class Statement:
    sql: str
    parameters: tuple[Any, ...]


class StatementCapture:
    """A `before_cursor_execute` listener keeping what the driver is sent."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT")):
            return
        values = tuple(parameters) if isinstance(parameters, list | tuple) else ()
        self.statements.append(Statement(statement, values))


@dataclass(slots=True)
class Floor:
    statements: int
    median_ms: float
    per_statement_ms: list[float]


async def measure_floor(
    url: str, statements: Sequence[Statement], *, rounds: int = 200, warmup: int = 20
) -> Floor:
    """Median wall time of running every statement once, in order, on one connection."""
    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, database=parsed.database,
    )  # fmt: skip
    try:
        totals: list[float] = []
        each: list[list[float]] = [[] for _ in statements]
        for round_ in range(warmup + rounds):
            started = time.perf_counter()
            for i, statement in enumerate(statements):
                t0 = time.perf_counter()
                await conn.fetch(statement.sql, *statement.parameters)
                if round_ >= warmup:
                    each[i].append(time.perf_counter() - t0)
            if round_ >= warmup:
                totals.append(time.perf_counter() - started)
    finally:
        await conn.close()
    return Floor(
        statements=len(statements),
        median_ms=statistics.median(totals) * 1000 if totals else 0.0,
        per_statement_ms=[statistics.median(e) * 1000 for e in each if e],
    )
