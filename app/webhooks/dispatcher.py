"""The dispatcher: fans committed outbox events out to subscribed endpoints and delivers them,
signed, in per-aggregate order, retrying with exponential backoff until delivered or dead.

Any number of dispatchers may run (`omnigraph webhooks run`, or one inside each API process):
deliveries are leased by conditional updates, so each attempt is made by one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx

from app.config import Settings
from app.database import Database
from app.events.catalog import ALL_EVENTS
from app.kit.clock import utcnow
from app.models.events import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookSubscription
from app.webhooks import repository
from app.webhooks.retention import prune_outbox
from app.webhooks.signing import SIGNATURE_HEADER, signature

log = logging.getLogger("omnigraph.webhooks")

FAN_OUT_BATCH = 500
PRUNE_INTERVAL_SECONDS = 3600
DELIVERY_BATCH = 50


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: int
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def envelope(event: OutboxEvent) -> bytes:
    return json.dumps({
        "id": event.event_id,
        "type": event.name,
        "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
        "sequence": event.sequence,
        "occurredAt": event.occurred_at.isoformat(),
        "data": event.payload,
    }, separators=(",", ":")).encode()  # fmt: skip


def backoff_seconds(settings: Settings, attempts: int) -> float:
    return float(
        min(
            settings.webhook_backoff_max_seconds,
            settings.webhook_backoff_base_seconds * 2 ** max(attempts - 1, 0),
        )
    )


class Dispatcher:
    def __init__(
        self, db: Database, settings: Settings, client: httpx.AsyncClient | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self._client = client or httpx.AsyncClient(
            timeout=settings.webhook_timeout_seconds, follow_redirects=False
        )
        self._owns_client = client is None

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def fan_out(self) -> int:
        """Turn committed, not yet fanned-out events into one delivery per subscription."""
        async with self.db.write() as uow:
            session = uow.session
            events = await repository.events_to_fan_out(session, FAN_OUT_BATCH)
            if not events:
                return 0
            subscriptions = await repository.active_subscriptions(session)
            now = utcnow()
            for event in events:
                for subscription in subscriptions:
                    if ALL_EVENTS in subscription.events or event.name in subscription.events:
                        session.add(WebhookDelivery(
                            subscription_id=subscription.id, event_id=event.id,
                            aggregate_type=event.aggregate_type,
                            aggregate_id=event.aggregate_id, sequence=event.sequence,
                            next_attempt_at=now,
                        ))  # fmt: skip
                event.fanned_out_at = now
        return len(events)

    async def deliver_due(self) -> int:
        """Attempt every delivery that is due and first in its aggregate's line."""
        now = utcnow()
        # Every send of the batch ends within webhook_timeout_seconds (see _send), so the lease
        # outlasts the sends and their recording: no other pass re-claims a delivery in flight.
        lease = timedelta(seconds=self.settings.webhook_timeout_seconds * 2 + 5)
        async with self.db.write() as uow:
            ids = await repository.claim_due(uow.session, now, now + lease, DELIVERY_BATCH)
            targets = await repository.deliveries_with_targets(uow.session, ids)
        if not targets:
            return 0
        attempts = await asyncio.gather(*(self._send(d, e, s) for d, e, s in targets))
        await self._record(attempts)
        return len(attempts)

    async def _send(
        self, delivery: WebhookDelivery, event: OutboxEvent, subscription: WebhookSubscription
    ) -> Attempt:
        body = envelope(event)
        headers = {
            "content-type": "application/json",
            "user-agent": "Omnigraph-Webhooks/1",
            SIGNATURE_HEADER: signature(subscription.secret, int(time.time()), body),
            "x-omnigraph-event-id": event.event_id,
            "x-omnigraph-event": event.name,
            "x-omnigraph-sequence": str(event.sequence),
            "x-omnigraph-delivery": str(delivery.id),
        }
        try:
            # httpx's timeout bounds each read or write, so a receiver trickling bytes would
            # hold the request open past the lease: the POST as a whole is bounded here.
            response = await asyncio.wait_for(
                self._client.post(subscription.url, content=body, headers=headers),
                self.settings.webhook_timeout_seconds,
            )
        except TimeoutError:
            limit = self.settings.webhook_timeout_seconds
            return Attempt(delivery.id, None, f"Timeout: no answer within {limit:g}s")
        except Exception as error:
            # Any failure of one send (a URL the client refuses, a TLS or protocol fault) is
            # that delivery's failed attempt; it must not keep the batch's attempts unrecorded.
            return Attempt(delivery.id, None, f"{type(error).__name__}: {error}"[:500])
        reason = None if response.is_success else f"HTTP {response.status_code}"
        return Attempt(delivery.id, response.status_code, reason)

    async def _record(self, attempts: list[Attempt]) -> None:
        now = utcnow()
        async with self.db.write() as uow:
            for attempt in attempts:
                delivery = await uow.session.get(WebhookDelivery, attempt.delivery_id)
                if delivery is None:  # pragma: no cover - deleted with its subscription
                    continue
                delivery.attempts += 1
                delivery.last_attempt_at = now
                delivery.last_status_code = attempt.status_code
                delivery.last_error = attempt.error
                delivery.leased_until = None
                if attempt.ok:
                    delivery.status = DeliveryStatus.DELIVERED.value
                    delivery.delivered_at = now
                elif delivery.attempts >= self.settings.webhook_max_attempts:
                    delivery.status = DeliveryStatus.DEAD.value
                    log.warning("webhook delivery %s is dead after %d attempts: %s",
                                delivery.id, delivery.attempts, attempt.error)  # fmt: skip
                else:
                    wait = backoff_seconds(self.settings, delivery.attempts)
                    delivery.next_attempt_at = now + timedelta(seconds=wait)

    async def run_once(self) -> int:
        """One pass: fan out, then deliver what is due; returns how much work it found."""
        return await self.fan_out() + await self.deliver_due()

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; idle passes wait `webhook_poll_seconds`."""
        next_prune = time.monotonic()
        while not stop.is_set():
            try:
                if time.monotonic() >= next_prune:
                    next_prune = time.monotonic() + PRUNE_INTERVAL_SECONDS
                    retention = timedelta(days=self.settings.outbox_retention_days)
                    await prune_outbox(self.db, retention)
                busy = await self.run_once()
            except Exception:
                log.exception("webhook dispatcher pass failed; retrying")
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.webhook_poll_seconds)
