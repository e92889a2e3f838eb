"""Settings read from the environment; one instance per process."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./omnigraph.db"
    redis_url: str | None = None
    # Pub/sub channels are named "<prefix>:<topic>", so deployments can share one Redis.
    events_prefix: str = "omnigraph"
    # Pool size per API process; PostgreSQL only.
    database_pool_size: int = 20
    sql_echo: bool = False

    page_size_default: int = 50
    page_size_max: int = 250
    query_depth_max: int = 15
    # Bounds on one document, so a single request cannot ask for unbounded work.
    query_aliases_max: int = 50
    query_tokens_max: int = 10_000
    # The channel a request is served for when it names none (header or argument).
    default_channel: str = "web"
    supported_locales: list[str] = Field(default_factory=lambda: ["en", "fr"])

    staff_token_ttl_seconds: int = 12 * 3600
    customer_token_ttl_seconds: int = 30 * 24 * 3600
    password_reset_ttl_seconds: int = 3600
    # Documented in docs/identity.md; applies to customer passwords.
    password_min_length: int = 10
    # Phone numbers written without a country code are read as numbers of this region.
    phone_default_region: str = "CA"
    # Failed sign-ins counted over a sliding window, per account and per client address;
    # past the limit, sign-in is refused until old failures leave the window.
    login_failure_window_seconds: int = 15 * 60
    login_failures_per_account: int = 5
    login_failures_per_address: int = 30
    # Carts: idle time before a cart expires (guests and signed-in customers), and bounds.
    cart_guest_ttl_seconds: int = 14 * 24 * 3600
    cart_customer_ttl_seconds: int = 60 * 24 * 3600
    cart_line_quantity_max: int = 100
    cart_lines_max: int = 200
    cart_discount_codes_max: int = 5
    # Shipping charged per cart in the cart's currency (minor units), free from the threshold
    # (after discounts); pickup is free.
    shipping_rates_minor: dict[str, int] = Field(default_factory=lambda: {"CAD": 1500, "USD": 1200})
    free_shipping_thresholds_minor: dict[str, int] = Field(
        default_factory=lambda: {"CAD": 10000, "USD": 7500}
    )
    discount_codes_bulk_max: int = 5000
    # Orders: the payment gateway ("test" is the built-in deterministic one), and which kind of
    # location shipping prefers per channel code ("STORE" or "WAREHOUSE"; else nearest wins).
    payment_gateway: str = "test"
    routing_preference: dict[str, str] = Field(default_factory=dict)
    # Delivery promise for a pickup that needs a transfer: hours in transit per route
    # ("FROM-CODE:TO-CODE"), else the default; the units are ready at the next opening hour
    # of the store (hours [open, close) in the stores' time zone).
    transfer_lead_hours: dict[str, int] = Field(default_factory=dict)
    transfer_lead_hours_default: int = 24
    store_opening_hours: tuple[int, int] = (10, 21)
    store_time_zone: str = "America/Toronto"
    # Introspection and GraphiQL are on for local work; production may turn them off.
    graphiql: bool = True
    # The explorer signs in as the demo accounts (their emails, password and the demo partner
    # key go into the page). Only `omnigraph serve --demo` turns it on: elsewhere the page would
    # hand those credentials to anyone who opens it.
    explorer_demo_accounts: bool = False
    # Viewer kinds refused introspection (__schema, __type); GraphiQL keeps working for others.
    introspection_disabled_for: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    # The cycle collector's youngest-generation threshold (CPython's default is 700). Requests
    # leave no reference cycles, so collections find little garbage; their cost is scanning
    # the objects of the requests in flight, and fewer collections scan them fewer times.
    gc_young_threshold: int = 50_000
    # "json" (one object per line, for log collectors) or "text" (for a terminal).
    log_format: str = "json"

    # Automatic persisted queries: documents kept per process (LRU), or in Redis for a while.
    apq_cache_size: int = 1000
    apq_ttl_seconds: int = 24 * 3600
    # Longest document (UTF-8 bytes) kept for a hash: anyone may register one.
    apq_document_max_bytes: int = 64 * 1024
    # How long a process trusts a cached trusted-document lookup.
    trusted_documents_cache_seconds: int = 60

    # Query cost: refused before execution above `query_cost_max`; each client's bucket holds
    # `cost_bucket_size` points and regains `cost_restore_rate` points per second.
    query_cost_max: int = 10_000
    cost_bucket_size: int = 20_000
    cost_restore_rate: int = 1_000
    # Bounds on input: any string argument or variable, and the request body.
    input_string_max: int = 10_000
    search_string_max: int = 200
    request_body_max_bytes: int = 1_000_000

    # A subscription re-checks its viewer's token or key this often (revoked: it ends).
    subscription_recheck_seconds: float = 60.0

    # Webhooks: the dispatcher runs inside each API process when enabled (else run
    # `omnigraph webhooks run` beside them).
    webhooks_in_process: bool = False
    webhook_timeout_seconds: float = 10.0
    # Waits after failed attempts double from the base (30 s, 1 min, 2 min, ...) up to the
    # maximum; ten attempts span about four hours before a delivery is dead.
    webhook_max_attempts: int = 10
    webhook_backoff_base_seconds: float = 30.0
    webhook_backoff_max_seconds: float = 6 * 3600.0
    webhook_poll_seconds: float = 1.0
    # Events whose deliveries are settled are deleted this long after fan-out (hourly, by
    # the dispatcher); deliveries stay queryable and replayable until then.
    outbox_retention_days: int = 30


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
