"""JSON access logs without secrets, Prometheus metrics, trace ids from traceparent."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from app.database import Database
from app.http.logs import JsonFormatter, redact
from tests.factories.channels import create_channel
from tests.factories.customers import partner_key

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_each_request_logs_one_json_line_with_its_operation_and_no_credentials(
    client: httpx.AsyncClient, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    await create_channel(db, code="web")
    key = await partner_key(db)
    caplog.set_level(logging.INFO, logger="omnigraph.access")
    # when
    response = await client.post(
        "/graphql", json={"query": "query Browse { channels { code } }"},
        headers={"X-Api-Key": key, "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01",
                 "x-request-id": "req42"},
    )  # fmt: skip
    # then
    [record] = [r for r in caplog.records if r.name == "omnigraph.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["operation"] == "Browse"
    assert line["viewer_kind"] == "PARTNER"
    assert line["request_id"] == "req42"
    assert line["trace_id"] == TRACE
    assert line["cost"] == 10
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert key not in caplog.text
    assert response.headers["traceparent"].startswith(f"00-{TRACE}-")


async def test_a_request_without_traceparent_starts_a_trace(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    version, trace_id, span_id, _flags = response.headers["traceparent"].split("-")
    assert (version, len(trace_id), len(span_id)) == ("00", 32, 16)


def test_secrets_are_masked_in_any_log_text() -> None:
    text = "key ogp_abcdefghijklmnop token Bearer ogs_zyxwvutsrqponm secret whsec_0123456789ab"
    masked = redact(text)
    for secret in ("abcdefghijklmnop", "zyxwvutsrqponm", "0123456789ab"):
        assert secret not in masked


async def test_metrics_expose_latency_errors_pool_and_outbox(
    client: httpx.AsyncClient, db: Database
) -> None:
    # given one operation and one error
    await create_channel(db, code="web")
    await client.post("/graphql", json={"query": "query MetricsProbe { channels { code } }"})
    await client.post("/graphql", json={"query": "{ nope }"})
    # when
    response = await client.get("/metrics")
    # then
    text = response.text
    assert response.status_code == 200
    assert 'omnigraph_request_duration_seconds_count{operation="MetricsProbe"}' in text
    assert 'omnigraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}' in text
    assert 'omnigraph_db_pool_connections{state="checked_out"}' in text
    assert "omnigraph_outbox_lag_seconds" in text
