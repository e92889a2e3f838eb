"""Who may call a root field: every root Query, Mutation and Subscription field declares a rule.

A rule is a pure function of the viewer (`Rule.allows`), so the access matrix test can derive
the expected answer for every field and every kind of viewer from the declaration alone.
Object-level rules (this customer, that store) live in app/auth/access.py and are applied by
the services.

    @strawberry.field(permission_classes=[StaffRoles(StaffRole.ADMIN)])
    @strawberry.field(permission_classes=[StaffOrPartnerScope(INVENTORY_READ)])
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from app.auth.scopes import SCOPES
from app.auth.viewer import Viewer
from app.models.staff import StaffRole
from schema.errors import ApiError


class Rule(BasePermission):
    """The base of every rule. Refuses anonymous viewers with UNAUTHENTICATED and signed-in
    ones with FORBIDDEN, as a top-level error, so a refused field never carries data."""

    message: str | None = "You may not do this"
    description: ClassVar[str] = ""

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        """Whether the viewer may use the field; each rule says whom it lets in."""
        # Deny by default: a rule that forgets to say whom it admits admits nobody.
        return False

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        viewer: Viewer = info.context.viewer
        if self.allows(viewer):
            return True
        if viewer.is_anonymous:
            raise ApiError("Sign-in required", "UNAUTHENTICATED")
        raise ApiError(self.message or "Forbidden", "FORBIDDEN")


class Public(Rule):
    """Open to every viewer, anonymous included; declared so that openness is a decision."""

    description = "anyone"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return True


class IsAuthenticated(Rule):
    message = "Sign-in required"
    description = "any signed-in customer, staff member or partner"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return not viewer.is_anonymous


class IsCustomer(Rule):
    message = "Customers only"
    description = "a signed-in customer"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return viewer.is_customer


class IsStaff(Rule):
    message = "Staff only"
    description = "any staff member"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return viewer.is_staff


class CustomerOrStaff(Rule):
    message = "Customers and staff only"
    description = "a signed-in customer or any staff member"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return viewer.is_customer or viewer.is_staff


def StaffRoles(*roles: StaffRole) -> type[Rule]:
    """Staff with one of `roles`."""
    names = ", ".join(r.value for r in roles)

    class _StaffRoles(Rule):
        message = f"Only {names} staff may do this"
        description = f"staff with role {names}"

        @classmethod
        def allows(cls, viewer: Viewer) -> bool:
            return viewer.has_role(*roles)

    _StaffRoles.__name__ = f"StaffRoles({names})"
    return _StaffRoles


class CatalogManager(Rule):
    """Staff allowed to change the catalog."""

    message = "Only administrators and operations staff may change the catalog"
    description = "staff with role ADMIN or OPERATIONS"

    @classmethod
    def allows(cls, viewer: Viewer) -> bool:
        return viewer.has_role(StaffRole.ADMIN, StaffRole.OPERATIONS)


def PartnerScope(scope: str) -> type[Rule]:
    """A partner whose key holds `scope`."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}; declare it in app/auth/scopes.py")

    class _PartnerScope(Rule):
        message = f"Needs an API key with scope {scope}"
        description = f"a partner with scope {scope}"

        @classmethod
        def allows(cls, viewer: Viewer) -> bool:
            return viewer.has_scope(scope)

    _PartnerScope.__name__ = f"PartnerScope({scope})"
    return _PartnerScope


def AnyOf(*rules: type[Rule]) -> type[Rule]:
    """Passes when any one of `rules` does."""

    class _AnyOf(Rule):
        description = " or ".join(r.description for r in rules)
        message = f"Only {description} may do this"

        @classmethod
        def allows(cls, viewer: Viewer) -> bool:
            return any(rule.allows(viewer) for rule in rules)

    _AnyOf.__name__ = f"AnyOf({', '.join(r.__name__ for r in rules)})"
    return _AnyOf


def StaffOrPartnerScope(scope: str) -> type[Rule]:
    return AnyOf(IsStaff, PartnerScope(scope))


StaffOrCustomer = AnyOf(IsStaff, IsCustomer)
# Export and erasure: the customer themselves (checked per object) or an administrator.
CustomerOrAdmin = AnyOf(IsCustomer, StaffRoles(StaffRole.ADMIN))


def rules_of(permission_classes: list[type[BasePermission]]) -> list[type[Rule]]:
    """The rules among a field's permission classes; every one of them must pass."""
    return [p for p in permission_classes if isinstance(p, type) and issubclass(p, Rule)]
