"""Customer reads: a customer sees only themselves; staff and customer-reading partners see
anyone; the search is not for customers."""

from __future__ import annotations

import pytest

from app.auth.scopes import CUSTOMERS_READ, INVENTORY_READ
from app.auth.viewer import ANONYMOUS, Viewer, ViewerKind
from app.customers import reads, service
from app.customers.reads import CustomerParts
from app.database import Database
from app.errors import Forbidden, Unauthenticated
from app.kit.pagination import PageRequest
from app.models.staff import StaffRole
from tests.factories.customers import create_customer

STAFF = Viewer(kind=ViewerKind.STAFF, staff_id=1, role=StaffRole.STORE_ASSOCIATE)
CRM = Viewer(kind=ViewerKind.PARTNER, partner_id=1, scopes=frozenset({CUSTOMERS_READ}))
FEED = Viewer(kind=ViewerKind.PARTNER, partner_id=2, scopes=frozenset({INVENTORY_READ}))
ALL_PARTS = CustomerParts(
    identifiers=True, addresses=True, consents=True, channels_seen=True, merged=True
)


def _customer(customer_id: int) -> Viewer:
    return Viewer(kind=ViewerKind.CUSTOMER, customer_id=customer_id)


async def test_a_customer_reads_themselves_and_nobody_else(db: Database) -> None:
    # given
    ana = await create_customer(db, email="ana@example.com")
    ben = await create_customer(db, email="ben@example.com", first_name="Ben")
    views = await service.visible_customers(db, STAFF, [ana, ben])
    # when
    own = await reads.customers_with(db, _customer(ana), [views[ana]], ALL_PARTS)
    # then
    assert [i.value for i in own[0].identifiers] == ["ana@example.com"]
    assert own[0].channels_seen == ["web"]
    assert len(own[0].consents) > 0
    with pytest.raises(Forbidden):
        await reads.customers_with(db, _customer(ana), [views[ben]], ALL_PARTS)
    with pytest.raises(Unauthenticated):
        await reads.customers_with(db, ANONYMOUS, [views[ben]], ALL_PARTS)
    assert await service.visible_customers(db, _customer(ana), [ana, ben]) == {ana: views[ana]}


@pytest.mark.parametrize("viewer", [STAFF, CRM])
async def test_staff_and_customer_reading_partners_read_anyone(
    db: Database, viewer: Viewer
) -> None:
    ana = await create_customer(db, email="ana@example.com")
    views = await service.visible_customers(db, viewer, [ana])
    found = await reads.customers_with(db, viewer, list(views.values()), CustomerParts())
    assert [r.view.id for r in found] == [ana]
    # Parts not asked for are not read.
    assert found[0].identifiers == []


@pytest.mark.parametrize(
    ("viewer", "error"),
    [(ANONYMOUS, Unauthenticated), (_customer(1), Forbidden), (FEED, Forbidden)],
)
async def test_only_staff_and_customer_reading_partners_search_customers(
    db: Database, viewer: Viewer, error: type[Exception]
) -> None:
    await create_customer(db, email="ana@example.com")

    async def search(who: Viewer) -> list[str]:
        page = await service.search_customers(
            db, who, search="ana@example.com", default_region="CA", page=PageRequest(first=5),
            default_size=5, max_size=5,
        )  # fmt: skip
        return [c.first_name for c in page.items]

    with pytest.raises(error):
        await search(viewer)
    assert await search(STAFF) == ["Ana"]
    assert await search(CRM) == ["Ana"]
