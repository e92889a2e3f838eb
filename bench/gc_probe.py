"""Garbage-collector accounting inside the server under test, for the benchmark only.

The benchmark serves `bench.gc_probe:create_app` instead of the application's factory. Each
worker process installs a `gc.callbacks` hook that times every collection and counts the
unreachable objects it freed (objects that only the cycle collector could free: reference
cycles), then builds the real application. A daemon thread writes the running totals to
`$OMNIGRAPH_BENCH_GC_DIR/<pid>.json` twice a second; the benchmark reads the files before and
after a phase and takes the difference. Nothing here runs in a normal deployment.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

TARGET_ENV = "OMNIGRAPH_BENCH_TARGET"
DIR_ENV = "OMNIGRAPH_BENCH_GC_DIR"


class GcTotals:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self.collected = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        # CPU time of the collecting thread, not wall time: on a busy machine the process can
        # be descheduled in the middle of a collection, which is not the collector's cost.
        if phase == "start":
            self._started = time.thread_time()
            return
        self.seconds += time.thread_time() - self._started
        self.collections[info["generation"]] += 1
        self.collected += info["collected"]

    def snapshot(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "collections": list(self.collections),
            "collected": self.collected,
            "cpu_seconds": time.process_time(),
        }


def _writer(totals: GcTotals, path: Path) -> None:
    while True:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(totals.snapshot()))
        temporary.replace(path)
        time.sleep(0.5)


def create_app() -> Any:
    totals = GcTotals()
    gc.callbacks.append(totals)
    directory = os.environ.get(DIR_ENV)
    if directory:
        path = Path(directory) / f"{os.getpid()}.json"
        threading.Thread(target=_writer, args=(totals, path), daemon=True).start()
    module, _, name = os.environ.get(TARGET_ENV, "app.server:create_app").partition(":")
    return getattr(importlib.import_module(module), name)()


def read_totals(directory: Path) -> dict[str, Any]:
    """The sum over every worker's file: seconds in collections, collections per generation,
    objects freed, and the workers' own CPU seconds."""
    total: dict[str, Any] = {"seconds": 0.0, "collections": [0, 0, 0], "collected": 0,
                             "cpu_seconds": 0.0}  # fmt: skip
    for file in directory.glob("*.json"):
        try:
            data = json.loads(file.read_text())
        except (OSError, ValueError):
            continue
        total["seconds"] += data["seconds"]
        total["collected"] += data["collected"]
        total["cpu_seconds"] += data["cpu_seconds"]
        total["collections"] = [
            a + b for a, b in zip(total["collections"], data["collections"], strict=True)
        ]
    return total
