"""The explorer page: GraphiQL with the explorer plugin, example tabs per audience and a
demo sign-in per audience, all from this package's own files."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from app.explorer.examples import AUDIENCES, all_examples

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PATH = "/explorer/static"

_SCRIPTS = (
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "vendor/plugin-explorer.umd.js",
    "explorer.js",
)
_STYLES = ("vendor/graphiql.min.css", "vendor/plugin-explorer.css", "explorer.css")


def _config(endpoint: str) -> dict[str, Any]:
    examples = all_examples()
    return {
        "endpoint": endpoint,
        "audiences": [
            {
                "key": audience.key,
                "title": audience.title,
                "channel": audience.channel,
                "signIn": (
                    {
                        "mutation": audience.sign_in.mutation,
                        "email": audience.sign_in.email,
                        "password": audience.sign_in.password,
                    }
                    if audience.sign_in
                    else None
                ),
                "apiKey": audience.api_key,
                "examples": [
                    {"name": e.name, "query": e.query, "variables": e.variables}
                    for e in examples[audience.key]
                ],
            }
            for audience in AUDIENCES
        ],
    }


@cache
def render_page(endpoint: str = "/graphql") -> str:
    # JSON inside a script element: "</" must not close the element early.
    config = json.dumps(_config(endpoint)).replace("</", "<\\/")
    styles = "\n".join(f'  <link rel="stylesheet" href="{STATIC_PATH}/{name}">' for name in _STYLES)
    scripts = "\n".join(f'  <script src="{STATIC_PATH}/{name}"></script>' for name in _SCRIPTS)
    options = "\n".join(
        f'      <option value="{escape(a.key)}">{escape(a.title)}</option>' for a in AUDIENCES
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Omnigraph explorer</title>
  <link rel="icon" href="data:,">
{styles}
</head>
<body>
  <header class="og-bar">
    <strong>Omnigraph</strong>
    <label>Examples and viewer
      <select id="og-audience">
{options}
      </select>
    </label>
    <span id="og-status" role="status"></span>
  </header>
  <main id="og-graphiql">Loading the explorer…</main>
  <script id="og-config" type="application/json">{config}</script>
{scripts}
</body>
</html>
"""
