from __future__ import annotations

import pytest

from app.auth.viewer import ANONYMOUS, Viewer, ViewerKind
from app.models.staff import StaffRole
from schema.permissions import AnyOf, IsCustomer, PartnerScope, StaffOrPartnerScope, StaffRoles

ASSOCIATE = Viewer(kind=ViewerKind.STAFF, staff_id=1, role=StaffRole.STORE_ASSOCIATE)
ADMIN = Viewer(kind=ViewerKind.STAFF, staff_id=2, role=StaffRole.ADMIN)
CUSTOMER = Viewer(kind=ViewerKind.CUSTOMER, customer_id=1)
FEED = Viewer(kind=ViewerKind.PARTNER, partner_id=1, scopes=frozenset({"inventory:read"}))
CRM = Viewer(kind=ViewerKind.PARTNER, partner_id=2, scopes=frozenset({"customers:read"}))


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (StaffRoles(StaffRole.ADMIN), {"admin"}),
        (StaffOrPartnerScope("inventory:read"), {"admin", "associate", "feed"}),
        (PartnerScope("customers:read"), {"crm"}),
        (AnyOf(IsCustomer, StaffRoles(StaffRole.ADMIN)), {"admin", "customer"}),
    ],
)
def test_rules_are_decided_by_the_viewer_alone(rule: type, allowed: set[str]) -> None:
    viewers = {"anonymous": ANONYMOUS, "associate": ASSOCIATE, "admin": ADMIN,
               "customer": CUSTOMER, "feed": FEED, "crm": CRM}  # fmt: skip
    assert {name for name, viewer in viewers.items() if rule.allows(viewer)} == allowed


def test_a_rule_naming_an_unknown_scope_is_a_bug_caught_at_import() -> None:
    with pytest.raises(ValueError, match="Unknown scope"):
        PartnerScope("orders:everything")
