from __future__ import annotations

import httpx
from sqlalchemy import func, select

from app.config import Settings
from app.customers import accounts
from app.database import Database
from app.models.customer import Customer
from tests.factories.customers import CUSTOMER_PASSWORD, create_customer
from tests.graphql import error_codes, gql

REGISTER = """
mutation Register($input: CustomerRegisterInput!) {
  customerRegister(input: $input) {
    token
    customer { id email hasAccount firstName channelsSeen timeline { nodes { kind } } }
    userErrors { field code message }
  }
}
"""
LOGIN = """
mutation Login($email: String!, $password: String!) {
  customerLogin(email: $email, password: $password) {
    token expiresAt userErrors { field code message }
  }
}
"""
ME = "query { me { id email firstName } }"
LOGOUT = "mutation { customerLogout { signedOut userErrors { code } } }"
CHANGE = """
mutation Change($current: String!, $new: String!) {
  customerPasswordChange(currentPassword: $current, newPassword: $new) {
    token userErrors { field code }
  }
}
"""
RESET_REQUEST = """
mutation Ask($email: String!) {
  customerPasswordResetRequest(email: $email) { requested userErrors { code } }
}
"""
RESET = """
mutation Reset($token: String!, $password: String!) {
  customerPasswordReset(token: $token, newPassword: $password) { token userErrors { field code } }
}
"""


async def _customer_count(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(Customer))).scalar_one())


async def test_registered_customer_signs_in_and_sees_only_themselves(
    client: httpx.AsyncClient,
) -> None:
    # given
    registered = await gql(
        client,
        REGISTER,
        {
            "input": {
                "email": " Ana@Example.COM ",
                "password": "a-long-passphrase",
                "firstName": "Ana",
            }
        },
    )
    payload = registered["data"]["customerRegister"]
    # when
    login = await gql(client, LOGIN, {"email": "ana@example.com", "password": "a-long-passphrase"})
    me = await gql(client, ME, token=login["data"]["customerLogin"]["token"])
    # then
    assert payload["userErrors"] == []
    assert payload["customer"]["email"] == "ana@example.com"
    assert payload["customer"]["hasAccount"] is True
    assert payload["customer"]["channelsSeen"] == ["web"]
    kinds = [n["kind"] for n in payload["customer"]["timeline"]["nodes"]]
    assert kinds == ["IDENTIFIER_ADDED", "REGISTERED"]
    assert me["data"]["me"] == {"id": payload["customer"]["id"], "email": "ana@example.com",
                                "firstName": "Ana"}  # fmt: skip


async def test_registration_refuses_bad_input_and_writes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_customer(db, email="taken@example.com")
    await create_customer(db, email="guest@example.com", with_account=False)
    cases = [
        ({"email": "not-an-email", "password": "a-long-passphrase"}, "INVALID_EMAIL"),
        ({"email": "new@example.com", "password": "short"}, "WEAK_PASSWORD"),
        ({"email": "new@example.com", "password": "aaaaaaaaaaaa"}, "WEAK_PASSWORD"),
        ({"email": "TAKEN@example.com", "password": "a-long-passphrase"}, "EMAIL_TAKEN"),
        ({"email": "guest@example.com", "password": "a-long-passphrase"},
         "ACCOUNT_ACTIVATION_REQUIRED"),
    ]  # fmt: skip
    # when
    codes = []
    for given, _ in cases:
        body = await gql(client, REGISTER, {"input": given})
        assert body["data"]["customerRegister"]["customer"] is None
        codes.append(body["data"]["customerRegister"]["userErrors"][0]["code"])
    # then
    assert codes == [code for _, code in cases]
    assert await _customer_count(db) == 2


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_customer(db, email="ana@example.com")
    # when
    wrong = await gql(client, LOGIN, {"email": "ana@example.com", "password": "nope-nope-nope"})
    unknown = await gql(client, LOGIN, {"email": "zed@example.com", "password": "nope-nope-nope"})
    # then
    for body in (wrong, unknown):
        assert body["data"]["customerLogin"]["token"] is None
        assert body["data"]["customerLogin"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_sign_out_revokes_the_token(client: httpx.AsyncClient, db: Database) -> None:
    # given
    await create_customer(db, email="ana@example.com")
    login = await gql(client, LOGIN, {"email": "ana@example.com", "password": CUSTOMER_PASSWORD})
    token = login["data"]["customerLogin"]["token"]
    # when
    out = await gql(client, LOGOUT, token=token)
    me = await gql(client, ME, token=token)
    # then
    assert out["data"]["customerLogout"]["signedOut"] is True
    assert error_codes(me) == ["UNAUTHENTICATED"]
    assert me["data"] == {"me": None}


async def test_password_change_ends_every_other_session(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_customer(db, email="ana@example.com")
    credentials = {"email": "ana@example.com", "password": CUSTOMER_PASSWORD}
    phone = (await gql(client, LOGIN, credentials))["data"]["customerLogin"]["token"]
    laptop = (await gql(client, LOGIN, credentials))["data"]["customerLogin"]["token"]
    # when
    wrong = await gql(
        client, CHANGE, {"current": "guess-guess-guess", "new": "x" * 3}, token=laptop
    )
    changed = await gql(
        client, CHANGE, {"current": CUSTOMER_PASSWORD, "new": "a-brand-new-secret"}, token=laptop
    )
    # then
    assert wrong["data"]["customerPasswordChange"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    fresh = changed["data"]["customerPasswordChange"]["token"]
    assert fresh
    assert error_codes(await gql(client, ME, token=phone)) == ["UNAUTHENTICATED"]
    assert error_codes(await gql(client, ME, token=laptop)) == ["UNAUTHENTICATED"]
    assert (await gql(client, ME, token=fresh))["data"]["me"]["email"] == "ana@example.com"
    old = await gql(client, LOGIN, credentials)
    assert old["data"]["customerLogin"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_password_reset_by_token_sets_a_new_password_once(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    await create_customer(db, email="ana@example.com")
    sent: list[accounts.PasswordResetIssued] = []

    async def sender(_: object, issued: accounts.PasswordResetIssued) -> None:
        sent.append(issued)

    unregister = accounts.register_password_reset_sender(sender)
    try:
        asked = await gql(client, RESET_REQUEST, {"email": "ANA@example.com"})
        unknown = await gql(client, RESET_REQUEST, {"email": "nobody@example.com"})
    finally:
        unregister()
    token = sent[0].token
    # when
    weak = await gql(client, RESET, {"token": token, "password": "short"})
    reset = await gql(client, RESET, {"token": token, "password": "a-fresh-passphrase"})
    again = await gql(client, RESET, {"token": token, "password": "another-passphrase"})
    # then
    assert asked["data"]["customerPasswordResetRequest"]["requested"] is True
    assert unknown["data"]["customerPasswordResetRequest"]["requested"] is True
    assert len(sent) == 1
    assert weak["data"]["customerPasswordReset"]["userErrors"][0]["code"] == "WEAK_PASSWORD"
    assert reset["data"]["customerPasswordReset"]["token"]
    assert again["data"]["customerPasswordReset"]["userErrors"][0]["code"] == "INVALID_RESET_TOKEN"
    login = await gql(client, LOGIN, {"email": "ana@example.com", "password": "a-fresh-passphrase"})
    assert login["data"]["customerLogin"]["token"]


async def test_reset_activates_a_guest_profile_and_verifies_its_email(
    db: Database, settings: Settings
) -> None:
    # given
    guest = await create_customer(db, email="guest@example.com", with_account=False)
    async with db.write() as uow:
        issued = await accounts.request_password_reset(
            uow.session, settings, email="guest@example.com"
        )
    assert issued is not None
    # when
    async with db.write() as uow:
        await accounts.reset_password(
            uow.session, settings, token=issued.token, new_password="a-fresh-passphrase"
        )
    # then
    async with db.write() as uow:
        token = await accounts.login(
            uow.session, settings, email="guest@example.com", password="a-fresh-passphrase"
        )
        customer = await uow.session.get(Customer, guest)
    assert token.subject_id == guest
    assert customer is not None
    assert customer.password_hash is not None


async def test_repeated_failures_lock_the_account_for_a_while(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    settings.login_failures_per_account = 3
    await create_customer(db, email="ana@example.com")
    wrong = {"email": "ana@example.com", "password": "not-the-password"}
    for _ in range(settings.login_failures_per_account):
        await gql(client, LOGIN, wrong)
    # when
    right = await gql(client, LOGIN, {"email": "ana@example.com", "password": CUSTOMER_PASSWORD})
    # then
    assert right["data"]["customerLogin"]["token"] is None
    assert right["data"]["customerLogin"]["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"


async def test_repeated_failures_from_one_address_slow_every_account(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given: one address guessing across many accounts, under each account's own limit
    settings.login_failures_per_address = 4
    await create_customer(db, email="ana@example.com")
    for n in range(settings.login_failures_per_address):
        await gql(client, LOGIN, {"email": f"user{n}@example.com", "password": "guess-guess-1"})
    # when
    right = await gql(client, LOGIN, {"email": "ana@example.com", "password": CUSTOMER_PASSWORD})
    # then
    assert right["data"]["customerLogin"]["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"


async def test_guessing_the_current_password_through_a_stolen_token_is_slowed_down(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given a token in the wrong hands and a limit of 2 failures
    settings.login_failures_per_account = 2
    await create_customer(db, email="ana@example.com")
    credentials = {"email": "ana@example.com", "password": CUSTOMER_PASSWORD}
    token = (await gql(client, LOGIN, credentials))["data"]["customerLogin"]["token"]
    # when two guesses fail
    for n in range(2):
        guess = {"current": f"guess-number-{n}", "new": "a-brand-new-secret"}
        wrong = await gql(client, CHANGE, guess, token=token)
        assert wrong["data"]["customerPasswordChange"]["userErrors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    # then even the right password is refused until the window passes
    right = {"current": CUSTOMER_PASSWORD, "new": "a-brand-new-secret"}
    refused = await gql(client, CHANGE, right, token=token)
    assert refused["data"]["customerPasswordChange"]["userErrors"][0]["code"] == (
        "TOO_MANY_ATTEMPTS"
    )
    assert refused["data"]["customerPasswordChange"]["token"] is None
