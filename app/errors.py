"""Domain errors: a stable code, a message for humans, and the input field at fault."""

from __future__ import annotations


class DomainError(Exception):
    """A failure the caller can fix; mapped to `userErrors` by the API layer."""

    code: str = "INVALID"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Invalid(DomainError):
    code = "INVALID"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"
