from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.customers.errors import InvalidIdentifier
from app.customers.identity import IdentifierInput, normalise, recognise_customer
from app.database import Database
from app.models.customer import IdentifierKind
from app.models.staff import StaffRole
from tests.factories.channels import create_location
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import gql

SEARCH = """
query Search($search: String!) {
  customers(search: $search, first: 10) {
    totalCount
    nodes { firstName lastName email phone identifiers { kind value verified } }
  }
}
"""
ADD = """
mutation Add($input: CustomerIdentifierAddInput!) {
  customerIdentifierAdd(input: $input) {
    identifier { id kind value verified }
    customer { identifiers { kind value } }
    userErrors { field code }
  }
}
"""
VERIFY = """
mutation Verify($id: ID!) {
  customerIdentifierVerify(identifierId: $id) { identifier { verified } userErrors { code } }
}
"""
RECOGNISE = """
mutation Recognise($input: CustomerRecogniseInput!) {
  customerRecognise(input: $input) {
    created customer { id phone timeline { nodes { kind locationId } } } userErrors { code }
  }
}
"""


@pytest.mark.parametrize(
    ("kind", "given", "expected"),
    [
        (IdentifierKind.EMAIL, "  Ana.Silva@Example.COM ", "ana.silva@example.com"),
        (IdentifierKind.PHONE, "(514) 555-0199", "+15145550199"),
        (IdentifierKind.PHONE, "+33 6 12 34 56 78", "+33612345678"),
        (IdentifierKind.LOYALTY_CARD, "ab12-3456 78", "AB12345678"),
        (IdentifierKind.EXTERNAL, "Marketplace-US: 8812", "marketplace-us:8812"),
    ],
)
def test_identifiers_are_normalised_before_they_are_compared(
    kind: IdentifierKind, given: str, expected: str
) -> None:
    assert normalise(kind, given, default_region="CA") == expected


@pytest.mark.parametrize(
    ("kind", "given", "code"),
    [
        (IdentifierKind.EMAIL, "ana@", "INVALID_EMAIL"),
        (IdentifierKind.EMAIL, "ana example.com", "INVALID_EMAIL"),
        (IdentifierKind.PHONE, "12", "INVALID_PHONE"),
        (IdentifierKind.PHONE, "not a phone", "INVALID_PHONE"),
        (IdentifierKind.LOYALTY_CARD, "12", "INVALID_LOYALTY_CARD"),
        (IdentifierKind.EXTERNAL, "8812", "INVALID_EXTERNAL_ID"),
    ],
)
def test_malformed_identifiers_are_refused_with_a_code(
    kind: IdentifierKind, given: str, code: str
) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        normalise(kind, given, default_region="CA")
    assert raised.value.code == code


async def test_staff_find_a_customer_by_any_identifier_or_by_name(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_customer(db, email="ana@example.com", phone="+15145550199",
                          loyalty_card="CARD123456")  # fmt: skip
    await create_customer(db, email="bo@example.com", first_name="Bo", last_name="Tremblay")
    token = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    # when
    found = {
        search: (await gql(client, SEARCH, {"search": search}, token=token))["data"]["customers"]
        for search in ("514-555-0199", "ANA@example.com", "card 123456", "silva", "bo trem", "zz")
    }
    # then
    assert {s: r["totalCount"] for s, r in found.items()} == {
        "514-555-0199": 1, "ANA@example.com": 1, "card 123456": 1, "silva": 1, "bo trem": 1,
        "zz": 0,
    }  # fmt: skip
    assert found["514-555-0199"]["nodes"][0]["email"] == "ana@example.com"
    assert found["514-555-0199"]["nodes"][0]["phone"] == "+15145550199"


async def test_a_loyalty_card_number_finds_its_holder(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    await create_customer(db, email="ana@example.com", loyalty_card="CARD123456")
    token = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    # when
    body = await gql(client, SEARCH, {"search": "card-123-456"}, token=token)
    # then
    assert body["data"]["customers"]["nodes"][0]["email"] == "ana@example.com"


async def test_staff_add_and_verify_identifiers_unique_per_kind(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    from schema.relay import to_global_id

    ana = await create_customer(db, email="ana@example.com")
    await create_customer(db, email="bo@example.com", phone="+15145550100")
    token = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    ana_id = to_global_id("Customer", ana)

    async def add(kind: str, value: str) -> dict[str, object]:
        body = await gql(
            client, ADD, {"input": {"customerId": ana_id, "kind": kind, "value": value}},
            token=token,
        )  # fmt: skip
        result: dict[str, object] = body["data"]["customerIdentifierAdd"]
        return result

    # when
    added = await add("PHONE", "514 555 0199")
    duplicate = await add("PHONE", "+1 514-555-0199")
    taken = await add("PHONE", "5145550100")
    malformed = await add("EMAIL", "nope")
    first_card = await add("LOYALTY_CARD", "CARD000001")
    second_card = await add("LOYALTY_CARD", "CARD000002")
    identifier = added["identifier"]
    assert isinstance(identifier, dict)
    verified = await gql(client, VERIFY, {"id": identifier["id"]}, token=token)
    # then
    assert identifier["value"] == "+15145550199"
    assert identifier["verified"] is False
    assert verified["data"]["customerIdentifierVerify"]["identifier"]["verified"] is True
    codes = [r["userErrors"][0]["code"] for r in (duplicate, taken, malformed, second_card)]  # type: ignore[index]
    assert codes == ["IDENTIFIER_TAKEN", "IDENTIFIER_TAKEN", "INVALID_EMAIL", "IDENTIFIER_CONFLICT"]
    assert first_card["userErrors"] == []


async def test_recognition_finds_the_known_customer_or_creates_one_guest(
    db: Database, settings: Settings
) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com", phone="+15145550199")
    # when
    async with db.write() as uow:
        known = await recognise_customer(
            uow.session,
            [IdentifierInput(IdentifierKind.EMAIL, "someone@else.com"),
             IdentifierInput(IdentifierKind.PHONE, "514-555-0199")],
            default_region="CA", channel_code="pos",
        )  # fmt: skip
        new = await recognise_customer(
            uow.session, [IdentifierInput(IdentifierKind.PHONE, "514-555-0111")],
            default_region="CA", channel_code="pos",
        )  # fmt: skip
    async with db.write() as uow:
        again = await recognise_customer(
            uow.session, [IdentifierInput(IdentifierKind.PHONE, "+1 514 555 0111")],
            default_region="CA",
        )  # fmt: skip
    # then
    assert (known.customer_id, known.created) == (ana, False)
    assert new.created is True
    assert (again.customer_id, again.created) == (new.customer_id, False)
    # An unverified email typed at a till does not attach itself to the known profile.
    async with db.write() as uow:
        other = await recognise_customer(
            uow.session, [IdentifierInput(IdentifierKind.EMAIL, "someone@else.com")],
            default_region="CA",
        )  # fmt: skip
    assert other.created is True


async def test_store_associate_recognises_at_their_home_store_only(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given
    from schema.relay import to_global_id

    home = await create_location(db, code="st-home")
    other = await create_location(db, code="st-other")
    token = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="sa@example.com", home_location_id=home.id
    )
    phone = [{"kind": "PHONE", "value": "514 555 0123"}]
    # when
    at_home = await gql(client, RECOGNISE, {"input": {"identifiers": phone}}, token=token)
    elsewhere = await gql(
        client, RECOGNISE,
        {"input": {"identifiers": phone, "locationId": to_global_id("Location", other.id)}},
        token=token,
    )  # fmt: skip
    # then
    result = at_home["data"]["customerRecognise"]
    assert result["created"] is True
    assert result["customer"]["phone"] == "+15145550123"
    assert result["customer"]["timeline"]["nodes"][-1] == {
        "kind": "CREATED_AS_GUEST", "locationId": to_global_id("Location", home.id)
    }  # fmt: skip
    assert elsewhere["data"]["customerRecognise"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert elsewhere["data"]["customerRecognise"]["customer"] is None


async def test_a_customer_adds_identifiers_only_to_themselves(
    client: httpx.AsyncClient, db: Database, settings: Settings
) -> None:
    # given
    from schema.relay import to_global_id

    ana = await create_customer(db, email="ana@example.com")
    bo = await create_customer(db, email="bo@example.com")
    token = await customer_token(db, settings, ana)
    phone = {"kind": "PHONE", "value": "514 555 0199"}
    # when
    own = await gql(
        client, ADD, {"input": {"customerId": to_global_id("Customer", ana), **phone}}, token=token
    )
    other = await gql(
        client, ADD, {"input": {"customerId": to_global_id("Customer", bo), **phone}}, token=token
    )
    # then
    assert own["data"]["customerIdentifierAdd"]["userErrors"] == []
    assert other["data"]["customerIdentifierAdd"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert other["data"]["customerIdentifierAdd"]["customer"] is None
