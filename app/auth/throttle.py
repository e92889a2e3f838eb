"""Slowing down password guessing: failed sign-ins per account and per client address.

Failures live in the database, so every API process sees the same counts. They are written
in their own transaction because the sign-in transaction itself is rolled back on failure.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import delete, func, select

from app.config import Settings
from app.database import Database
from app.errors import DomainError, Unauthenticated
from app.kit.clock import utcnow
from app.models.partner import LoginFailure

T = TypeVar("T")


class TooManyAttempts(DomainError):
    code = "TOO_MANY_ATTEMPTS"


@dataclass(frozen=True, slots=True)
class LoginKeys:
    account: str
    address: str | None

    @classmethod
    def of(cls, kind: str, login: str, address: str | None) -> LoginKeys:
        return cls(f"{kind}:{login.strip().lower()}", f"addr:{address}" if address else None)


def _limits(settings: Settings, keys: LoginKeys) -> dict[str, int]:
    limits = {keys.account: settings.login_failures_per_account}
    if keys.address:
        limits[keys.address] = settings.login_failures_per_address
    return limits


async def _reserve(db: Database, settings: Settings, keys: LoginKeys) -> list[int]:
    """Record this attempt as a failure before the password is checked; refuse it when the
    account or address is over its limit.

    Counting after the insert, each in its own commit, means concurrent guesses cannot all
    read the same low count: of N simultaneous attempts, at most the limit get through.
    """
    now = utcnow()
    window = timedelta(seconds=settings.login_failure_window_seconds)
    limits = _limits(settings, keys)
    async with db.write() as uow:
        # Only the window matters, so older rows of every key go: the table stays as small as
        # the failures of the last window, whoever made them.
        await uow.session.execute(
            delete(LoginFailure).where(LoginFailure.failed_at <= now - window)
        )
        rows = [LoginFailure(key=k, failed_at=now) for k in limits]
        uow.session.add_all(rows)
        await uow.session.flush()
        reserved = [row.id for row in rows]
    async with db.read() as conn:
        counts = (
            await conn.execute(
                select(LoginFailure.key, func.count(), func.min(LoginFailure.failed_at))
                .where(LoginFailure.key.in_(list(limits)), LoginFailure.failed_at > now - window)
                .group_by(LoginFailure.key)
            )
        ).all()
    for key, count, oldest in counts:
        if count > limits[key]:
            # A refused attempt checked no password, so it does not count against the owner.
            await _release(db, reserved)
            wait = max(1, math.ceil((oldest + window - utcnow()).total_seconds() / 60))
            raise TooManyAttempts(
                f"Too many failed sign-ins; try again in {wait} minute{'s' if wait > 1 else ''}"
            )
    return reserved


async def _release(db: Database, reserved: list[int]) -> None:
    async with db.write() as uow:
        await uow.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(reserved)))


async def _forget_account(db: Database, keys: LoginKeys, reserved: list[int]) -> None:
    """After a success: this attempt's rows and the account's earlier failures go."""
    async with db.write() as uow:
        await uow.session.execute(
            delete(LoginFailure).where(
                (LoginFailure.key == keys.account) | LoginFailure.id.in_(reserved)
            )
        )


async def guarded_login(
    db: Database,
    settings: Settings,
    keys: LoginKeys,
    attempt: Callable[[Database], Awaitable[T]],
) -> T:
    """Run a sign-in attempt unless its account or address is over the failure limit.

    `attempt` opens its own transaction and raises Unauthenticated on bad credentials; the
    reservation made for it then stays as the record of the failure.
    """
    reserved = await _reserve(db, settings, keys)
    try:
        result = await attempt(db)
    except Unauthenticated:
        raise
    except BaseException:
        # Not a wrong password: the attempt does not count.
        await _release(db, reserved)
        raise
    await _forget_account(db, keys, reserved)
    return result
