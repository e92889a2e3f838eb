"""In-process and cross-process event fan-out for subscriptions."""
