"""Running a mutation: one unit of work, committed on success, rolled back on a domain error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.database import UnitOfWork
from app.errors import DomainError
from schema.context import Info
from schema.errors import UserError

T = TypeVar("T")


async def perform(
    info: Info, action: Callable[[UnitOfWork], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run `action` in its own transaction; a DomainError rolls it back into `userErrors`."""
    try:
        async with info.context.db.write() as uow:
            result = await action(uow)
    except DomainError as error:
        return None, [UserError.from_domain(error)]
    return result, []
