"""The explorer page: GraphiQL with the explorer plugin, example tabs per audience and a
demo sign-in per audience, all from this package's own files."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from app.explorer.examples import AUDIENCES, Audience, all_examples

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


def _hint(audience: Audience) -> str | None:
    """What to put in the Headers tab when the page does not sign in by itself."""
    if audience.sign_in is not None:
        return (
            f"Sign in with {audience.sign_in.mutation} and send the token as "
            '"Authorization": "Bearer <token>" in the Headers tab.'
        )
    if audience.api_key is not None:
        return 'Send your partner key as "X-Api-Key" in the Headers tab.'
    return None


def _config(endpoint: str, demo_accounts: bool) -> dict[str, Any]:
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
                    if audience.sign_in and demo_accounts
                    else None
                ),
                "apiKey": audience.api_key if demo_accounts else None,
                "hint": _hint(audience) if not demo_accounts else None,
                "examples": [
                    {"name": e.name, "query": e.query, "variables": e.variables}
                    for e in examples[audience.key]
                ],
            }
            for audience in AUDIENCES
        ],
    }


@cache
def render_page(endpoint: str = "/graphql", *, demo_accounts: bool = False) -> str:
    """The explorer page; with `demo_accounts`, each audience signs in as its demo account."""
    # JSON inside a script element: "</" must not close the element early.
    config = json.dumps(_config(endpoint, demo_accounts)).replace("</", "<\\/")
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
