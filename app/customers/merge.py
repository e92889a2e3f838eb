"""Merging two profiles of one person into one, with every domain moving its own rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth_service
from app.auth.access import ensure_staff
from app.auth.viewer import Viewer
from app.customers import repository
from app.customers.errors import CustomerNotFound, IdentifierConflict, MergeRefused
from app.customers.identity import SINGLE_VALUED
from app.customers.timeline import EventKind, record_customer_event
from app.events import outbox
from app.kit.clock import utcnow
from app.models.customer import (
    Customer,
    CustomerAddress,
    CustomerConsent,
    CustomerEvent,
    CustomerIdentifier,
    PasswordResetToken,
)


@dataclass(frozen=True, slots=True)
class MergeContext:
    source_id: int
    target_id: int
    staff_user_id: int | None


MergeHook = Callable[[AsyncSession, MergeContext], Awaitable[None]]
_HOOKS: dict[str, MergeHook] = {}


def register_merge_hook(name: str, hook: MergeHook) -> Callable[[], None]:
    """Carts, orders, returns and any later domain move their customer rows here.

    Hooks run inside the merge's transaction, after this domain's own rows moved, in
    registration order; a hook that raises aborts the whole merge. Returns an unregister
    function (tests use it).
    """
    if name in _HOOKS:
        raise ValueError(f"A merge hook named {name!r} is already registered")
    _HOOKS[name] = hook
    return lambda: _HOOKS.pop(name, None) and None


# Rows of this domain that follow the person. Tokens are not moved: they are revoked.
_OWN_ROWS = (
    CustomerIdentifier,
    CustomerAddress,
    CustomerConsent,
    CustomerEvent,
    PasswordResetToken,
)


def _mergeable(customer: Customer | None, field: str) -> Customer:
    if customer is None:
        raise CustomerNotFound("No such customer", field=field)
    if customer.merged_into_id is not None:
        raise MergeRefused(
            "This customer was already merged into another one; merge into the survivor",
            code="CUSTOMER_MERGED",
            field=field,
        )
    if customer.erased_at is not None:
        raise MergeRefused(
            "An erased customer cannot be merged", code="CUSTOMER_ERASED", field=field
        )
    return customer


async def _refuse_identifier_conflicts(
    session: AsyncSession, source_id: int, target_id: int
) -> None:
    source = await repository.identifiers_of(session, source_id)
    target = await repository.identifiers_of(session, target_id)
    for kind in SINGLE_VALUED:
        theirs = {i.value for i in source if i.kind is kind}
        ours = {i.value for i in target if i.kind is kind}
        if theirs and ours and theirs != ours:
            raise IdentifierConflict(
                f"Both customers hold a different {kind.value.lower()}; remove one first",
                field="sourceId",
            )


async def merge_customers(
    session: AsyncSession, viewer: Viewer, *, source_id: int, target_id: int
) -> Customer:
    """Move everything of `source` to `target`; the source stays as a tombstone."""
    ensure_staff(viewer)
    if source_id == target_id:
        raise MergeRefused(
            "A customer cannot be merged into itself", code="MERGE_INTO_SELF", field="targetId"
        )
    locked = await repository.customers_for_update(session, [source_id, target_id])
    source = _mergeable(locked.get(source_id), "sourceId")
    target = _mergeable(locked.get(target_id), "targetId")
    await _refuse_identifier_conflicts(session, source.id, target.id)

    moved = {
        m.__tablename__: await repository.reassign(session, m, source.id, target.id)
        for m in _OWN_ROWS
    }
    context = MergeContext(source.id, target.id, viewer.staff_id)
    for hook in list(_HOOKS.values()):
        await hook(session, context)
    # A shopper who only ever had a password on the source keeps signing in with it.
    if target.password_hash is None and source.password_hash is not None:
        target.password_hash = source.password_hash
        target.password_changed_at = source.password_changed_at
    target.first_name = target.first_name or source.first_name
    target.last_name = target.last_name or source.last_name
    await auth_service.revoke_customer_tokens(session, source.id)
    await repository.repoint_tombstones(session, source.id, target.id)
    source.merged_into_id = target.id
    source.merged_at = utcnow()
    # The tombstone only points at the survivor; it keeps no personal data of its own, so an
    # export or erasure of the survivor covers everything held about the person.
    source.password_hash = None
    source.password_changed_at = None
    source.first_name = source.last_name = ""
    await session.flush()
    await record_customer_event(
        session, target.id, EventKind.MERGED, staff_user_id=viewer.staff_id,
        data={"sourceCustomerId": source.id, "moved": moved},
    )  # fmt: skip
    await outbox.emit(session, "customer.merged", aggregate_id=target.id, data={
        "customerId": target.id, "sourceCustomerId": source.id,
    })  # fmt: skip
    return target
