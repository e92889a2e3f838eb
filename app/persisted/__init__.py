"""Persisted documents: automatic persisted queries (APQ) and partners' trusted documents."""
