"""Trusted documents on every path: the HTTP view resolves documents before execution, but
WebSocket subscriptions and streamed (multipart) operations reach the schema without it.
This extension refuses, on those paths, what the view would have refused.

It works in `on_validate`, after the validation cache has validated the document: an error
put in `pre_execution_errors` there stops queries, mutations and subscriptions alike."""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from app.auth.viewer import Viewer
from app.persisted.resolve import DocumentRefused, DocumentResolver
from schema.errors import ApiError

DOCUMENTS = "persisted.documents"
RESOLVED_DOCUMENT = "persisted.resolved"


class TrustedDocumentsGuard(SchemaExtension):
    async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
        ec = self.execution_context
        context = ec.context
        viewer: Viewer | None = getattr(context, "viewer", None)
        extras = getattr(context, "extras", {})
        resolver: DocumentResolver | None = extras.get(DOCUMENTS)
        if (
            viewer is not None
            and viewer.documents_client is not None
            and resolver is not None
            and ec.query is not None
            and extras.get(RESOLVED_DOCUMENT) != ec.query
            and not ec.pre_execution_errors
        ):
            try:
                await resolver.resolve(viewer, ec.query, None)
            except DocumentRefused as refused:
                ec.pre_execution_errors = [ApiError(refused.message, refused.code)]
        yield
