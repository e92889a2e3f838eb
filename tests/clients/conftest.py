"""Real clients (npm packages run by node) against a live server process."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from tests.live import live_server

FOLDER = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def node_packages() -> Path:
    """The installed npm packages; installed here from the lock file when .ci/run has not."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run the JavaScript clients")
    if not (FOLDER / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=FOLDER, check=True, timeout=300,
            capture_output=True,
        )  # fmt: skip
    return FOLDER


@pytest.fixture(scope="session")
def live_url(migrated_db: Database, database_url: str) -> Iterator[str]:
    """One server process for every client test (starting one costs seconds)."""
    with live_server(database_url) as url:
        yield url


@pytest.fixture
def server(db: Database, live_url: str) -> str:
    # `db` empties the tables before each test; the server keeps running across tests.
    return live_url


def run_node(folder: Path, script: str, *args: str) -> Any:
    done = subprocess.run(
        ["node", script, *args], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
