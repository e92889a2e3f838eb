"""Who is making a request. Services take a Viewer; the API layer builds it from credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.models.staff import StaffRole


class ViewerKind(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    CUSTOMER = "CUSTOMER"
    STAFF = "STAFF"
    PARTNER = "PARTNER"


@dataclass(frozen=True, slots=True)
class Viewer:
    kind: ViewerKind = ViewerKind.ANONYMOUS
    staff_id: int | None = None
    role: StaffRole | None = None
    home_location_id: int | None = None
    customer_id: int | None = None
    partner_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # A partner key bound to a client's trusted documents runs only those (when enforced).
    documents_client: str | None = None
    documents_enforced: bool = True
    # The partner key's own query cost budget; None means the default of the settings.
    cost_budget: int | None = None
    token_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind is ViewerKind.STAFF

    @property
    def is_customer(self) -> bool:
        return self.kind is ViewerKind.CUSTOMER

    @property
    def is_partner(self) -> bool:
        return self.kind is ViewerKind.PARTNER

    @property
    def is_anonymous(self) -> bool:
        return self.kind is ViewerKind.ANONYMOUS

    def has_role(self, *roles: StaffRole) -> bool:
        return self.is_staff and self.role in roles

    def has_scope(self, scope: str) -> bool:
        return self.is_partner and scope in self.scopes

    def is_customer_self(self, customer_id: int) -> bool:
        return self.is_customer and self.customer_id == customer_id


ANONYMOUS = Viewer()
