"""Awaiting the asynchronous parts of a completed object or list, as graphql-core does:
one pending value is awaited directly, several concurrently (cancelling the rest on error)."""

from __future__ import annotations

from typing import Any, TypeVar

from graphql.pyutils import gather_with_cancel

R = TypeVar("R", dict[str, Any], list[Any])


async def gather_into(results: R, pending: list[Any]) -> R:
    if len(pending) == 1:
        key = pending[0]
        results[key] = await results[key]
    else:
        awaited = await gather_with_cancel(*(results[key] for key in pending))
        for key, value in zip(pending, awaited, strict=True):
            results[key] = value
    return results
