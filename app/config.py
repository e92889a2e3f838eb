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
    # Introspection and GraphiQL are on for local work; production may turn them off.
    graphiql: bool = True
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
