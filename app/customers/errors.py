"""Stable error codes of the customers domain."""

from __future__ import annotations

from app.errors import Conflict, Invalid, NotFound, Unauthenticated


class CustomerNotFound(NotFound):
    code = "CUSTOMER_NOT_FOUND"


class InvalidIdentifier(Invalid):
    """Code names the kind: INVALID_EMAIL, INVALID_PHONE, INVALID_LOYALTY_CARD, ..."""


class IdentifierTaken(Conflict):
    code = "IDENTIFIER_TAKEN"


class IdentifierConflict(Conflict):
    code = "IDENTIFIER_CONFLICT"


class EmailTaken(Conflict):
    code = "EMAIL_TAKEN"


class ActivationRequired(Conflict):
    """The email belongs to a guest profile; owning it is proven through a reset link."""

    code = "ACCOUNT_ACTIVATION_REQUIRED"


class InvalidCredentials(Unauthenticated):
    code = "INVALID_CREDENTIALS"


class InvalidResetToken(Invalid):
    code = "INVALID_RESET_TOKEN"


class MergeRefused(Conflict):
    """Code says why: MERGE_INTO_SELF, CUSTOMER_MERGED, CUSTOMER_ERASED."""


class CustomerErased(Conflict):
    code = "CUSTOMER_ERASED"
