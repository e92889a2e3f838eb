from __future__ import annotations

import strawberry

from app.customers.identity import IdentifierInput
from app.customers.profiles import AddressInput
from app.models.customer import ConsentPurpose, IdentifierKind


@strawberry.input
class CustomerIdentifierInput:
    kind: IdentifierKind
    value: str = strawberry.field(
        description="Phones without a country code are read in the default region; external "
        "ids are written source:id."
    )

    def to_domain(self) -> IdentifierInput:
        return IdentifierInput(kind=self.kind, value=self.value)


@strawberry.input
class CustomerRegisterInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters by default.")
    first_name: str = ""
    last_name: str = ""


@strawberry.input
class CustomerIdentifierAddInput:
    customer_id: strawberry.ID
    kind: IdentifierKind
    value: str


@strawberry.input
class CustomerUpdateInput:
    customer_id: strawberry.ID
    first_name: str | None = None
    last_name: str | None = None


@strawberry.input
class MailingAddressInput:
    line1: str
    city: str
    country_code: str
    first_name: str = ""
    last_name: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str | None = None

    def to_domain(self) -> AddressInput:
        return AddressInput(
            line1=self.line1, city=self.city, country_code=self.country_code,
            first_name=self.first_name, last_name=self.last_name, line2=self.line2,
            region=self.region, postal_code=self.postal_code, phone=self.phone,
        )  # fmt: skip


@strawberry.input
class CustomerAddressAddInput:
    customer_id: strawberry.ID
    address: MailingAddressInput


@strawberry.input
class CustomerConsentUpdateInput:
    customer_id: strawberry.ID
    purpose: ConsentPurpose
    granted: bool


@strawberry.input
class CustomerRecogniseInput:
    identifiers: list[CustomerIdentifierInput]
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="The store the customer is at; a store associate's home store."
    )
    first_name: str = ""
    last_name: str = ""
