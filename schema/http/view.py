"""The /graphql view: strawberry's ASGI view plus persisted documents and GraphQL over HTTP.

Strawberry has no persisted queries, so the view resolves the document a request names (its
text, an APQ hash or a trusted document id) before handing it to the schema.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from app.auth.partners import viewer_for_api_key
from app.auth.service import viewer_for_token
from app.auth.viewer import ANONYMOUS, Viewer
from app.config import Settings
from app.database import Database
from app.explorer.page import render_page
from app.http.metrics import ERRORS
from app.kit.leaky_bucket import Bucket
from app.persisted.resolve import DocumentRefused, DocumentResolver
from schema.context import Context
from schema.http.guard import DOCUMENTS, RESOLVED_DOCUMENT
from schema.live import REVALIDATE
from schema.schema import schema as graphql_schema

GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
JSON_MEDIA_TYPE = "application/json"
CHANNEL_HEADER = "x-channel"
API_KEY_HEADER = "x-api-key"
# Errors that stop a request before execution: with the GraphQL response media type they are
# client errors (4xx); plain JSON clients keep getting 200, as they always have.
REQUEST_ERROR_STATUS = {
    "GRAPHQL_PARSE_FAILED": 400,
    "GRAPHQL_VALIDATION_FAILED": 400,
    "MAX_COST_EXCEEDED": 400,
    "INPUT_TOO_LONG": 400,
    "INTROSPECTION_DISABLED": 400,
    "THROTTLED": 429,
}


def _bearer(headers: Any) -> str | None:
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _with_document_id(data: Any) -> Any:
    # The persisted documents draft sends `documentId` beside `query`; strawberry keeps only
    # the standard keys, so it travels on in the extensions.
    if isinstance(data, dict) and "documentId" in data:
        extensions = data.get("extensions") or {}
        if isinstance(extensions, dict):
            data["extensions"] = {**extensions, "documentId": data.pop("documentId")}
    return data


@dataclass
class RequestContext(Context):
    # Filled by strawberry from a WebSocket's connection_init payload.
    connection_params: dict[str, Any] | None = None


def _credentials(params: dict[str, Any]) -> dict[str, str]:
    """connection_init carries what browsers cannot send as WebSocket headers."""
    lowered = {str(k).lower(): v for k, v in params.items() if isinstance(v, str)}
    headers = {}
    if lowered.get("authorization"):
        headers["authorization"] = lowered["authorization"]
    key = lowered.get("x-api-key") or lowered.get("apikey")
    if key:
        headers[API_KEY_HEADER] = key
    return headers


def client_address(request: Request | WebSocket) -> str:
    return request.client.host if request.client else "unknown"


class OmnigraphGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        documents: DocumentResolver,
        throttle: Bucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(graphql_schema, **kwargs)
        self.db = db
        self.settings = settings
        self.documents = documents
        self.throttle = throttle

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        headers = request.headers
        viewer = await self.viewer_for(headers)
        request_id = request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex
        context = RequestContext(
            db=self.db,
            settings=self.settings,
            viewer=viewer,
            request_id=request_id,
            request=request,
            channel_code=headers.get(CHANNEL_HEADER) or None,
        )
        context.extras["throttle"] = self.throttle
        context.extras[DOCUMENTS] = self.documents
        context.extras["address"] = client_address(request)
        request.scope.setdefault("state", {})["viewer_kind"] = viewer.kind.value
        context.extras[REVALIDATE] = lambda: self.viewer_for(headers)
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = getattr(context, "connection_params", None)
        headers = _credentials(params) if isinstance(params, dict) else {}
        if headers:
            viewer = await self.viewer_for(headers)
            if viewer.is_anonymous:
                raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
            context.viewer = viewer
            context.extras[REVALIDATE] = lambda: self.viewer_for(headers)
        return cast(UnsetType, UNSET)

    async def viewer_for(self, headers: Any) -> Viewer:
        """Bearer tokens stand for staff and customers; partners send their key in X-Api-Key.
        Unknown, expired or revoked credentials make an anonymous viewer."""
        token = _bearer(headers)
        if token is not None:
            return await viewer_for_token(self.db, token) or ANONYMOUS
        key = (headers.get(API_KEY_HEADER) or "").strip()
        if key:
            return await viewer_for_api_key(self.db, key) or ANONYMOUS
        return ANONYMOUS

    async def render_graphql_ide(self, request: Request) -> Response:
        # The explorer's files ship with the package: the page works with no network.
        return HTMLResponse(
            render_page(request.url.path, demo_accounts=self.settings.explorer_demo_accounts)
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET that names a persisted document is an operation, not a browser visit.
        params = request.query_params
        if params.get("extensions") or params.get("documentId"):
            return False
        return bool(super().should_render_graphql_ide(request))

    def parse_json(self, data: str | bytes) -> Any:
        return _with_document_id(super().parse_json(data))

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        return cast(dict[str, Any], _with_document_id(super().parse_query_params(params)))

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            query = await self.documents.resolve(
                context.viewer, request_data.query, request_data.extensions
            )
        except DocumentRefused as refused:
            if refused.status == 400 or sub_response.media_type == GRAPHQL_RESPONSE_MEDIA_TYPE:
                sub_response.status_code = refused.status
            error = GraphQLError(refused.message, extensions={"code": refused.code})
            return cast(ExecutionResult, GraphQLExecutionResult(data=None, errors=[error]))
        # What the guard extension (schema/http/guard.py) finds already checked.
        context.extras[RESOLVED_DOCUMENT] = query
        resolved = GraphQLRequestData(
            query=query,
            variables=request_data.variables,
            operation_name=request_data.operation_name,
            extensions=request_data.extensions,
            protocol=request_data.protocol,
        )
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, resolved
            )
        finally:
            # For the access log and the latency histogram (app/http/observe.py).
            state = request.scope.setdefault("state", {})
            state["operation"] = context.extras.get("operation") or request_data.operation_name
            state["cost"] = context.extras.get("cost")

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        accept = request.headers.get("accept", "")
        # Remembered for create_response, which does not see the request.
        sub_response.media_type = (
            GRAPHQL_RESPONSE_MEDIA_TYPE
            if GRAPHQL_RESPONSE_MEDIA_TYPE in accept
            else JSON_MEDIA_TYPE
        )
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        for error in result.errors or ():
            ERRORS.labels(str((error.extensions or {}).get("code", "UNKNOWN"))).inc()
        # A request that never reached execution (parse, validation, cost, persisted document
        # errors: none has a path) has no `data` entry at all, as the GraphQL spec says.
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            processed.pop("data", None)
        return processed

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON_MEDIA_TYPE
        response.headers["content-type"] = media_type
        if (
            media_type == GRAPHQL_RESPONSE_MEDIA_TYPE
            and isinstance(response_data, dict)
            and "data" not in response_data
            and response.status_code == 200
        ):
            codes = [
                (e.get("extensions") or {}).get("code")
                for e in cast(list[dict[str, Any]], response_data.get("errors") or [])
            ]
            statuses = [REQUEST_ERROR_STATUS[c] for c in codes if c in REQUEST_ERROR_STATUS]
            if statuses:
                response.status_code = max(statuses)
        return response
