from __future__ import annotations

import asyncio

import httpx

from app.config import Settings
from app.database import Database
from tests.factories.customers import create_customer
from tests.graphql import gql

LOGIN = """mutation($e: String!, $p: String!) {
  customerLogin(email: $e, password: $p) { token userErrors { code } } }"""


async def test_simultaneous_guesses_check_at_most_the_limit_of_passwords(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given an account allowed 5 failures per window
    assert settings.login_failures_per_account == 5
    await create_customer(db, email="ana@example.com")
    # when 25 wrong guesses arrive at once
    bodies = await asyncio.gather(
        *[gql(client, LOGIN, {"e": "ana@example.com", "p": f"wrong-guess-{i:04}"})
          for i in range(25)]
    )  # fmt: skip
    codes = [b["data"]["customerLogin"]["userErrors"][0]["code"] for b in bodies]
    # then no more than 5 passwords were checked; the others were refused unchecked
    assert codes.count("INVALID_CREDENTIALS") <= 5, codes
    assert codes.count("TOO_MANY_ATTEMPTS") >= 20, codes
