"""The server under test as a subprocess, and where the CPU went while it ran."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


# --- server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(
    target: str, url: str, port: int, workers: int, extra_env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """uvicorn in its own process group, stopped (with any workers) however we leave."""
    env = {**os.environ, "DATABASE_URL": url, "GRAPHIQL": "false", "LOG_LEVEL": "warning",
           **(extra_env or {})}  # fmt: skip
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
