"""The explorer page carries the demo credentials only when the server runs the demo."""

from __future__ import annotations

import json
import re

from app.demo.partners import DEMO_PARTNER_KEY
from app.demo.staff import DEMO_PASSWORD
from app.explorer.page import render_page


def _config(page: str) -> dict[str, object]:
    found = re.search(r'<script id="og-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1).replace("<\\/", "</"))
    return config


def test_the_page_names_no_credentials_by_default() -> None:
    page = render_page("/graphql")
    assert DEMO_PASSWORD not in page
    assert DEMO_PARTNER_KEY not in page
    audiences = _config(page)["audiences"]
    assert isinstance(audiences, list)
    assert all(a["signIn"] is None and a["apiKey"] is None for a in audiences)
    assert any("Authorization" in (a["hint"] or "") for a in audiences)


def test_the_demo_server_signs_in_as_the_demo_accounts() -> None:
    page = render_page("/graphql", demo_accounts=True)
    assert DEMO_PASSWORD in page
    assert DEMO_PARTNER_KEY in page
    audiences = _config(page)["audiences"]
    assert isinstance(audiences, list)
    assert {a["key"] for a in audiences if a["signIn"]} == {"mobile", "pos", "operations"}
