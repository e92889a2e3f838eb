"""Benchmarks run against a throwaway PostgreSQL database (see docs/benchmarks.md)."""
