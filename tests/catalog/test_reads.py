"""The catalog read service's visibility rules, called directly as any caller would."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.auth.viewer import ANONYMOUS, Viewer, ViewerKind
from app.catalog import reads
from app.catalog.views import ProductListFilter, ProductParts, VariantParts
from app.channels.views import ChannelView
from app.database import Database
from app.errors import Forbidden, Invalid
from app.kit.pagination import PageRequest
from app.models.catalog import ProductStatus
from app.models.staff import StaffRole
from app.reference.cache import cache_for
from tests.factories.catalog import create_product
from tests.factories.channels import create_channel

STAFF = Viewer(kind=ViewerKind.STAFF, staff_id=1, role=StaffRole.OPERATIONS)
CUSTOMER = Viewer(kind=ViewerKind.CUSTOMER, customer_id=1)
PARTNER = Viewer(kind=ViewerKind.PARTNER, partner_id=1, scopes=frozenset({"catalog:read"}))
NOT_STAFF = [ANONYMOUS, CUSTOMER, PARTNER]
WITH_VARIANTS = ProductParts(variants=VariantParts(prices=True))


async def _web(db: Database) -> ChannelView:
    web = await create_channel(db, code="web")
    return (await cache_for(db).channels()).by_code(web.code)


async def _handles(
    db: Database, viewer: Viewer, channel: ChannelView, **query: object
) -> list[str]:
    built = await reads.product_query(
        db, cache_for(db), viewer, channel=channel, channel_named=bool(query.pop("named", True)),
        locale="en", **query,  # type: ignore[arg-type]
    )  # fmt: skip
    page = await reads.product_page(
        db, cache_for(db), built, PageRequest(first=10), ProductParts(), channel,
        default_size=10, max_size=10,
    )  # fmt: skip
    return [p.view.handle for p in page.items]


@pytest.mark.parametrize("viewer", NOT_STAFF)
async def test_only_active_products_are_listed_to_anyone_but_staff(
    db: Database, viewer: Viewer
) -> None:
    # given
    web = await _web(db)
    await create_product(db, handle="live", channel_ids=[web.id])
    await create_product(db, handle="draft", channel_ids=[web.id], status=ProductStatus.DRAFT)
    # when / then
    assert await _handles(db, viewer, web) == ["live"]
    assert sorted(await _handles(db, STAFF, web)) == ["draft", "live"]


@pytest.mark.parametrize("viewer", NOT_STAFF)
async def test_only_staff_may_filter_by_status(db: Database, viewer: Viewer) -> None:
    # given
    web = await _web(db)
    wanted = ProductListFilter(statuses=[ProductStatus.DRAFT])
    # when
    with pytest.raises(Forbidden) as refused:
        await _handles(db, viewer, web, filter=wanted)
    # then
    assert refused.value.field == "filter.status"


async def test_staff_filtering_by_status_see_only_those_statuses(db: Database) -> None:
    web = await _web(db)
    await create_product(db, handle="live", channel_ids=[web.id])
    await create_product(db, handle="draft", channel_ids=[web.id], status=ProductStatus.DRAFT)
    wanted = ProductListFilter(statuses=[ProductStatus.DRAFT])
    assert await _handles(db, STAFF, web, filter=wanted) == ["draft"]


async def test_staff_naming_no_channel_see_the_whole_catalog_others_the_channel(
    db: Database,
) -> None:
    # given a product published on no channel
    web = await _web(db)
    await create_product(db, handle="on-web", channel_ids=[web.id])
    await create_product(db, handle="unpublished")
    # when / then
    assert sorted(await _handles(db, STAFF, web, named=False)) == ["on-web", "unpublished"]
    assert await _handles(db, STAFF, web, named=True) == ["on-web"]
    assert await _handles(db, ANONYMOUS, web, named=False) == ["on-web"]


async def test_a_negative_price_filter_is_refused(db: Database) -> None:
    web = await _web(db)
    with pytest.raises(Invalid) as refused:
        await _handles(db, ANONYMOUS, web, filter=ProductListFilter(price_min=Decimal("-1")))
    assert refused.value.field == "filter.price_min"


@pytest.mark.parametrize("viewer", NOT_STAFF)
async def test_a_draft_and_its_variants_do_not_exist_by_id_for_anyone_but_staff(
    db: Database, viewer: Viewer
) -> None:
    # given
    web = await _web(db)
    draft = await create_product(db, handle="draft", status=ProductStatus.DRAFT)
    ref = cache_for(db)
    # when
    hidden = await reads.products_by_ids(db, ref, viewer, [draft.id], WITH_VARIANTS, web)
    shown = await reads.products_by_ids(db, ref, STAFF, [draft.id], WITH_VARIANTS, web)
    hidden_variant = await reads.variant_by_sku(db, ref, viewer, "DRAFT-0", VariantParts(), web)
    shown_variant = await reads.variant_by_sku(db, ref, STAFF, "DRAFT-0", VariantParts(), web)
    # then
    assert hidden == {}
    assert [v.view.sku for v in shown[draft.id].variants] == ["DRAFT-0", "DRAFT-1"]
    assert hidden_variant.variants == []
    assert [v.view.sku for v in shown_variant.variants] == ["DRAFT-0"]
    assert await reads.variant_views(db, viewer, [shown_variant.variants[0].view.id]) == {}


async def test_variants_read_alone_bring_their_product_only_when_asked(db: Database) -> None:
    web = await _web(db)
    await create_product(db, handle="tee", channel_ids=[web.id])
    ref = cache_for(db)
    bare = await reads.variant_by_sku(db, ref, ANONYMOUS, "TEE-1", VariantParts(), web)
    parts = VariantParts(prices=True, product=ProductParts())
    full = await reads.variant_by_sku(db, ref, ANONYMOUS, "TEE-1", parts, web)
    assert bare.products == {}
    assert bare.variants[0].prices == {}
    assert [p.view.handle for p in full.products.values()] == ["tee"]
    assert full.variants[0].prices["CAD"].amount == 5000
