"""Prometheus metrics: request latency per operation, errors by code, database pool use,
outbox lag. With several worker processes, set PROMETHEUS_MULTIPROC_DIR so that /metrics
answers for all of them (prometheus-client's multiprocess mode)."""

from __future__ import annotations

import os
import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

REQUEST_SECONDS = Histogram(
    "omnigraph_request_duration_seconds",
    "GraphQL request latency by operation name",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter("omnigraph_graphql_errors_total", "GraphQL errors by code", ["code"])
POOL = Gauge(
    "omnigraph_db_pool_connections",
    "Database connections of this process by state",
    ["state"],
    multiprocess_mode="livesum",
)
OUTBOX_LAG = Gauge(
    "omnigraph_outbox_lag_seconds",
    "Age of the oldest outbox event not yet fanned out to webhooks",
    multiprocess_mode="max",
)
OUTBOX_PENDING = Gauge(
    "omnigraph_outbox_pending_events", "Outbox events not yet fanned out", multiprocess_mode="max"
)
DELIVERIES = Gauge(
    "omnigraph_webhook_deliveries", "Webhook deliveries by status", ["status"],
    multiprocess_mode="max",
)  # fmt: skip

_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,63}$")
_MAX_OPERATIONS = 500
_seen: set[str] = set()


def operation_label(name: str | None) -> str:
    """Operation names come from clients: bounded, so that a client cannot blow up the
    number of time series."""
    if not name or not _NAME.match(name):
        return "anonymous" if not name else "invalid"
    if name in _seen:
        return name
    if len(_seen) >= _MAX_OPERATIONS:
        return "other"
    _seen.add(name)
    return name


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(DEFAULT_REGISTRY), CONTENT_TYPE_LATEST
