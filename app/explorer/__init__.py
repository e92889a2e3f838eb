"""The GraphiQL explorer, served from files shipped with the package (no network needed)."""
