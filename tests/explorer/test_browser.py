"""The explorer in a real headless Chromium: it loads with no request leaving the machine, and
an example operation runs and shows demo data.

Needs Debian's chromium (installed by .ci/run). Set OMNIGRAPH_SCREENSHOT_DIR=docs to refresh
docs/explorer.png from this test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the explorer test")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.async_api")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`omnigraph serve --demo` on a fresh SQLite file, as a new user starts it."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("explorer")
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'omnigraph.db'}"}
    env.pop("REDIS_URL", None)
    log_path = workdir / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--demo", "--port", str(port)],
        cwd=workdir,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not become ready")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


async def test_explorer_runs_an_example_with_no_network(server: str, tmp_path: Path) -> None:
    # given: a browser that refuses anything not on this machine, and records what it asked for
    requested: list[str] = []
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = await browser.new_page(viewport={"width": 1400, "height": 850})

        async def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            requested.append(url)
            host = urlsplit(url).hostname
            if url.startswith("data:") or host in LOCAL_HOSTS:
                await route.continue_()  # type: ignore[attr-defined]
            else:
                await route.abort()  # type: ignore[attr-defined]

        await page.route("**/*", guard)

        # when: the storefront examples open and the first one runs
        await page.goto(f"{server}/graphql#storefront")
        await page.wait_for_selector(".graphiql-container", timeout=30_000)
        await page.wait_for_selector("text=ProductListing", timeout=30_000)
        await page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        await result.get_by_text('"totalCount"').wait_for(timeout=30_000)
        storefront_text = await result.inner_text()

        # and: switching to the mobile app signs in as the demo customer
        await page.select_option("#og-audience", "mobile")
        await page.wait_for_selector("text=MyProfile", timeout=30_000)
        await page.click(".graphiql-execute-button")
        await result.get_by_text("Camille").first.wait_for(timeout=30_000)
        mobile_text = await result.inner_text()

        shots = [tmp_path / "explorer.png"]
        if os.environ.get("OMNIGRAPH_SCREENSHOT_DIR"):
            shots.append(Path(os.environ["OMNIGRAPH_SCREENSHOT_DIR"]) / "explorer.png")
        for shot in shots:
            await page.screenshot(path=str(shot))
        await browser.close()

    # then
    assert "hoodies" in storefront_text or "edges" in storefront_text
    assert '"errors"' not in storefront_text
    assert "Camille" in mobile_text
    outside = [
        u
        for u in requested
        if not u.startswith("data:") and urlsplit(u).hostname not in LOCAL_HOSTS
    ]
    assert outside == []
    assert any(u.endswith("/explorer/static/vendor/graphiql.min.js") for u in requested)
    assert shots[0].stat().st_size > 10_000
