"""Error shapes: `userErrors` on payloads, coded top-level errors, and masking of the rest."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

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


class ErrorHandling(SchemaExtension):
    """Gives every error a code; masks unexpected ones behind the request id."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not getattr(result, "errors", None):
            return
        result.errors = [self._process(error) for error in result.errors or []]

    def _process(self, error: GraphQLError) -> GraphQLError:
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
                code = (
                    "GRAPHQL_PARSE_FAILED"
                    if "Syntax Error" in error.message
                    else ("GRAPHQL_VALIDATION_FAILED" if error.path is None else "BAD_REQUEST")
                )
                error.extensions = {**(error.extensions or {}), "code": code}
            return error
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "unknown")
        log.error(
            "unexpected error in %s (request %s)", ".".join(map(str, error.path or [])),
            request_id, exc_info=original,
        )  # fmt: skip
        return GraphQLError(
            f"Internal error; quote request id {request_id} when reporting it.",
            error.nodes, error.source, error.positions, error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )  # fmt: skip
