"""Who may call a root field. Object-level rules live in the services."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from app.models.staff import StaffRole
from schema.errors import ApiError


def _deny(info: Info[Any, Any], message: str) -> bool:
    if info.context.viewer.is_anonymous:
        raise ApiError("Sign-in required", "UNAUTHENTICATED")
    raise ApiError(message, "FORBIDDEN")


class IsStaff(BasePermission):
    message = "Staff only"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return bool(info.context.viewer.is_staff) or _deny(info, self.message)


class CatalogManager(BasePermission):
    """Staff allowed to change the catalog."""

    message = "Only administrators and operations staff may change the catalog"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        allowed = info.context.viewer.has_role(StaffRole.ADMIN, StaffRole.OPERATIONS)
        return allowed or _deny(info, self.message)


class Public(BasePermission):
    """Open to every viewer, anonymous included; declared so that openness is a decision."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return True
