"""Webhooks: subscriptions, signed deliveries of outbox events, retries and replay."""
