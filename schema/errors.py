"""Error shapes: `userErrors` on payloads, coded top-level errors, and masking of the rest."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from app.errors import DomainError

log = logging.getLogger("omnigraph.errors")


@strawberry.type(description="A problem with the input that the caller can fix.")
class UserError:
    field: list[str] | None
    code: str
    message: str

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        return cls(
            field=error.field.split(".") if error.field else None,
            code=error.code,
            message=error.message,
        )


class ApiError(GraphQLError):
    """A top-level GraphQL error with a stable `extensions.code`."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def coded(error: GraphQLError, request_id: str) -> GraphQLError:
    """The error as the client sees it: every error gets a code, unexpected ones are masked."""
    original = error.original_error
    if isinstance(original, DomainError):
        extensions = {"code": original.code}
        if original.field:
            extensions["field"] = original.field
        return GraphQLError(
            original.message, error.nodes, error.source, error.positions, error.path,
            extensions=extensions,
        )  # fmt: skip
    if original is None or isinstance(original, GraphQLError):
        if not (error.extensions or {}).get("code"):
            code = "GRAPHQL_PARSE_FAILED" if "Syntax Error" in error.message else (
                "GRAPHQL_VALIDATION_FAILED" if error.path is None else "BAD_REQUEST"
            )  # fmt: skip
            error.extensions = {**(error.extensions or {}), "code": code}
        return error
    log.error(
        "unexpected error in %s (request %s)", ".".join(map(str, error.path or [])),
        request_id, exc_info=original,
    )  # fmt: skip
    return GraphQLError(
        f"Internal error; quote request id {request_id} when reporting it.",
        error.nodes, error.source, error.positions, error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )  # fmt: skip


def _request_id(execution_context: ExecutionContext | None) -> str:
    context = execution_context.context if execution_context is not None else None
    return str(getattr(context, "request_id", "unknown"))


class CodedErrorsSchema(strawberry.Schema):
    """A schema that codes and masks errors on every path: parse and validation failures,
    execution errors and each subscription event's errors all pass through `process_errors`,
    where they are rewritten in place before the result is returned.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        request_id = _request_id(execution_context)
        errors[:] = [coded(error, request_id) for error in errors]
