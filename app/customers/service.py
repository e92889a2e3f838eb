"""Reading customers: the single view, the staff search and the timeline, with access rules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from app.auth.access import can_read_customer, ensure_can_read_customer
from app.auth.scopes import CUSTOMERS_READ
from app.auth.viewer import Viewer
from app.customers import repository
from app.customers.identity import normalise
from app.customers.views import ConsentRecordView, ConsentView, CustomerView, EventView
from app.database import Database
from app.errors import DomainError, Forbidden, Invalid, Unauthenticated
from app.kit.pagination import Page, PageRequest, encode_cursor
from app.models.customer import ConsentPurpose, IdentifierKind


async def visible_customers(
    db: Database, viewer: Viewer, ids: Sequence[int]
) -> dict[int, CustomerView]:
    """Customers by id as this viewer may see them; an old id of a merged profile yields the
    survivor. Ids the viewer may not read are left out, so `node(id:)` leaks nothing."""
    survivors = await repository.survivors(db, ids)
    allowed = {i: s for i, s in survivors.items() if can_read_customer(viewer, s)}
    found = await repository.customers_by_ids(db, sorted(set(allowed.values())))
    return {i: found[s] for i, s in allowed.items() if s in found}


async def customer_for(db: Database, viewer: Viewer, customer_id: int) -> CustomerView | None:
    """One customer for `customer(id)`: None when unknown, refused when not the viewer's."""
    survivor = (await repository.survivors(db, [customer_id])).get(customer_id, customer_id)
    ensure_can_read_customer(viewer, survivor)
    return (await repository.customers_by_ids(db, [survivor])).get(survivor)


def _search_terms(
    search: str, default_region: str
) -> tuple[list[str], list[tuple[IdentifierKind, str]]]:
    """Read the search as every identifier kind it could be, and as words of a name."""
    text = " ".join(search.split())
    if not text:
        raise Invalid("Search for a name or an identifier", code="SEARCH_REQUIRED", field="search")
    identifiers: list[tuple[IdentifierKind, str]] = []
    for kind in IdentifierKind:
        try:
            identifiers.append((kind, normalise(kind, text, default_region=default_region)))
        except DomainError:
            continue
    return text.lower().split(" "), identifiers


def ensure_can_search_customers(viewer: Viewer) -> None:
    """The POS lookup: staff, and partners allowed to read customers."""
    if viewer.is_staff or viewer.has_scope(CUSTOMERS_READ):
        return
    if viewer.is_anonymous:
        raise Unauthenticated("Sign-in required")
    raise Forbidden("Only staff may search customers")


async def search_customers(
    db: Database,
    viewer: Viewer,
    *,
    search: str,
    default_region: str,
    page: PageRequest,
    default_size: int,
    max_size: int,
) -> Page[CustomerView]:
    ensure_can_search_customers(viewer)
    names, identifiers = _search_terms(search, default_region)
    return await repository.search_page(
        db,
        name_terms=names,
        identifiers=identifiers,
        page=page,
        default_size=default_size,
        max_size=max_size,
    )


async def timeline(
    db: Database,
    viewer: Viewer,
    customer_id: int,
    page: PageRequest,
    *,
    default_size: int,
    max_size: int,
) -> Page[EventView]:
    ensure_can_read_customer(viewer, customer_id)
    return await repository.event_page(
        db, customer_id, page, default_size=default_size, max_size=max_size
    )


async def first_timeline_pages(
    db: Database, viewer: Viewer, customer_ids: Sequence[int], size: int
) -> dict[int, Page[EventView]]:
    """The first timeline page of many customers at once: two statements for a whole list,
    the second (the counts) only if a `totalCount` is read."""
    for customer_id in customer_ids:
        ensure_can_read_customer(viewer, customer_id)
    events = await repository.first_events(db, customer_ids, size + 1)
    # Sibling totalCount fields are resolved concurrently; they share one query.
    counts: asyncio.Task[dict[int, int]] | None = None

    def counter(customer_id: int) -> Callable[[], Awaitable[int]]:
        async def count() -> int:
            nonlocal counts
            if counts is None:
                counts = asyncio.ensure_future(repository.event_counts(db, customer_ids))
            return (await counts).get(customer_id, 0)

        return count

    pages = {}
    for customer_id in customer_ids:
        rows = events.get(customer_id, [])
        shown = rows[:size]
        pages[customer_id] = Page(
            items=shown,
            cursors=[encode_cursor([e.occurred_at, e.id]) for e in shown],
            has_next_page=len(rows) > size,
            has_previous_page=False,
            count=counter(customer_id),
        )
    return pages


def current_consents(records: Sequence[ConsentRecordView]) -> list[ConsentView]:
    """One entry per purpose, never-asked purposes included as not granted."""
    views = []
    for purpose in ConsentPurpose:
        history = [r for r in records if r.purpose == purpose]
        latest = history[0] if history else None
        views.append(
            ConsentView(
                purpose=purpose,
                granted=latest.granted if latest else False,
                updated_at=latest.recorded_at if latest else None,
                history=history,
            )
        )
    return views
