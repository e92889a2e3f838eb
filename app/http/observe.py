"""Per-request observability: a trace id (from `traceparent` when sent), one JSON access log
line and the latency histogram, with what the GraphQL view learnt (operation, viewer, cost)."""

from __future__ import annotations

import logging
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.metrics import REQUEST_SECONDS, operation_label

log = logging.getLogger("omnigraph.access")

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def trace_from(header: str) -> tuple[str, str]:
    """The trace id to continue and the flags; a new trace when the header is absent or bad."""
    match = _TRACEPARENT.match(header.strip().lower())
    if match and match.group(1) != "0" * 32 and match.group(2) != "0" * 16:
        return match.group(1), match.group(3)
    return secrets.token_hex(16), "00"


class ObserveRequests:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        trace_id, flags = trace_from(headers.get(b"traceparent", b"").decode("latin-1"))
        span_id = secrets.token_hex(8)
        state = scope.setdefault("state", {})
        state["trace_id"] = trace_id
        started = time.perf_counter()
        status = 500

        async def send_traced(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append(
                    (b"traceparent", f"00-{trace_id}-{span_id}-{flags}".encode())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_traced)
        finally:
            elapsed = time.perf_counter() - started
            path = scope.get("path", "")
            if path == "/graphql":
                REQUEST_SECONDS.labels(operation_label(state.get("operation"))).observe(elapsed)
            if path not in ("/healthz", "/readyz", "/metrics"):
                log.info("%s %s %s", scope.get("method"), path, status, extra={
                    "request_id": state.get("request_id"), "trace_id": trace_id,
                    "status": status, "duration_ms": round(elapsed * 1000, 2),
                    "operation": state.get("operation"), "viewer_kind": state.get("viewer_kind"),
                    "cost": state.get("cost"),
                })  # fmt: skip
