"""Who may see and change a cart.

A guest cart belongs to whoever holds its unguessable ID. A customer's cart belongs to that
customer; staff reach it when they serve the customer: administrators and operations staff
anywhere, a store associate for carts opened at their store's till. Everybody else is told
the cart does not exist, exactly as for an unknown ID, so an ID leaks nothing.
"""

from __future__ import annotations

from app.auth.access import ALL_LOCATIONS_ROLES
from app.auth.viewer import Viewer
from app.carts.errors import CartNotFound
from app.models.staff import StaffRole


def can_use_cart(viewer: Viewer, customer_id: int | None, location_id: int | None) -> bool:
    if customer_id is None:
        return True
    if viewer.is_customer_self(customer_id) or viewer.has_role(*ALL_LOCATIONS_ROLES):
        return True
    return (
        viewer.has_role(StaffRole.STORE_ASSOCIATE)
        and location_id is not None
        and viewer.home_location_id == location_id
    )


def can_serve_customer(viewer: Viewer, customer_id: int) -> bool:
    """Opening or claiming a cart for a customer: the customer themselves, or staff."""
    return viewer.is_customer_self(customer_id) or viewer.is_staff


def not_found() -> CartNotFound:
    return CartNotFound("No cart with this ID", field="cartId")
