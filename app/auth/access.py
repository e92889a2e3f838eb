"""Object-level access rules: who may see or change a given customer, store or record.

Root fields declare who may call them (schema/permissions.py); services call these functions
for the objects a call touches, so that a rule holds whichever resolver, CLI command or later
domain reaches the object.
"""

from __future__ import annotations

from app.auth.scopes import CUSTOMERS_READ
from app.auth.viewer import Viewer
from app.errors import Forbidden, Unauthenticated
from app.models.staff import StaffRole

# Staff who act on every location; store associates act only at their home store.
ALL_LOCATIONS_ROLES = (StaffRole.ADMIN, StaffRole.OPERATIONS)
# Staff who may export or erase a customer's personal data on their behalf.
PRIVACY_ROLES = (StaffRole.ADMIN,)


def _refuse(viewer: Viewer, message: str) -> None:
    if viewer.is_anonymous:
        raise Unauthenticated("Sign-in required")
    raise Forbidden(message)


def can_read_customer(viewer: Viewer, customer_id: int) -> bool:
    return (
        viewer.is_staff or viewer.is_customer_self(customer_id) or viewer.has_scope(CUSTOMERS_READ)
    )


def ensure_can_read_customer(viewer: Viewer, customer_id: int) -> None:
    if not can_read_customer(viewer, customer_id):
        _refuse(viewer, "You may not see this customer")


def ensure_can_change_customer(viewer: Viewer, customer_id: int) -> None:
    """Staff serve any customer; a customer changes only their own profile."""
    if not (viewer.is_staff or viewer.is_customer_self(customer_id)):
        _refuse(viewer, "You may not change this customer")


def ensure_can_handle_personal_data(viewer: Viewer, customer_id: int) -> None:
    """Export and erasure: the customer themselves, or an administrator on their behalf."""
    if not (viewer.has_role(*PRIVACY_ROLES) or viewer.is_customer_self(customer_id)):
        _refuse(viewer, "Only the customer or an administrator may do this")


def ensure_staff(viewer: Viewer, *roles: StaffRole) -> None:
    if not viewer.is_staff or (roles and viewer.role not in roles):
        _refuse(viewer, "Staff only" if not roles else "Your role may not do this")


def can_act_at_location(viewer: Viewer, location_id: int) -> bool:
    if viewer.has_role(*ALL_LOCATIONS_ROLES):
        return True
    return viewer.has_role(StaffRole.STORE_ASSOCIATE) and viewer.home_location_id == location_id


def ensure_can_act_at_location(viewer: Viewer, location_id: int) -> None:
    """Changing store data (stock, sales, recognition at a till) is bound to the home store."""
    if not can_act_at_location(viewer, location_id):
        _refuse(viewer, "You may act only at your home store")
