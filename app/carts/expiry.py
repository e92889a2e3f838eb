"""Cart expiry: idle carts close after the configured times; `omnigraph carts purge` closes
them (recording CART_ABANDONED on the customer's timeline) and removes closed carts.

Between its deadline and the next purge an idle cart already answers CART_EXPIRED; a purge
removes it, after which its ID is unknown (NOT_FOUND)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.carts import repository
from app.carts.service import expire_cart
from app.config import Settings
from app.database import Database
from app.kit.clock import utcnow
from app.models.cart import CartStatus


@dataclass(frozen=True, slots=True)
class PurgeReport:
    expired: int
    abandoned: int
    deleted: int


async def purge_carts(db: Database, settings: Settings, *, batch_size: int = 500) -> PurgeReport:
    """Expire idle carts in batches (one short transaction each), then delete closed ones.

    Each batch locks its carts with SKIP LOCKED, so a cart a shopper is editing right now is
    left for the next run rather than expired under them.
    """
    expired = abandoned = 0
    while True:
        now = utcnow()
        async with db.write() as uow:
            carts = await repository.carts_to_expire(
                uow.session,
                guest_before=now - timedelta(seconds=settings.cart_guest_ttl_seconds),
                customer_before=now - timedelta(seconds=settings.cart_customer_ttl_seconds),
                limit=batch_size,
            )
            counts = await repository.line_counts(uow.session, [c.id for c in carts])
            for cart in carts:
                await expire_cart(uow.session, cart, now)
                if cart.customer_id is not None and counts.get(cart.id, (0, 0))[0]:
                    abandoned += 1
            await uow.session.flush()
        expired += len(carts)
        if len(carts) < batch_size:
            break
    async with db.write() as uow:
        now = utcnow()
        deleted = await repository.delete_closed_carts(
            uow.session, CartStatus.EXPIRED, closed_before=now + timedelta(seconds=1)
        )
        # A merged cart's ID keeps leading to the survivor for as long as a guest cart lives.
        deleted += await repository.delete_closed_carts(
            uow.session,
            CartStatus.MERGED,
            closed_before=now - timedelta(seconds=settings.cart_guest_ttl_seconds),
        )
    return PurgeReport(expired, abandoned, deleted)
