"""Customer GraphQL types: the single customer view. Relations selected by the query are
fetched for the whole list up front, so a page of customers costs the same at any size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from app.auth.viewer import Viewer
from app.customers import reads as customer_reads
from app.customers import service as customer_service
from app.customers.reads import CustomerParts, CustomerRead
from app.customers.views import AddressView, ConsentView, CustomerView, EventView, IdentifierView
from app.kit.pagination import Page, PageRequest
from app.models.customer import ConsentPurpose, IdentifierKind
from schema.context import Info
from schema.relay import Connection, Node, to_global_id
from schema.selection import Tree

if TYPE_CHECKING:
    from schema.carts.types import Cart
    from schema.orders.types import Order
    from schema.returns.types import Return

strawberry.enum(IdentifierKind)
strawberry.enum(ConsentPurpose)


@strawberry.type(description="One way the customer is recognised, normalised (E.164 phones).")
class CustomerIdentifier:
    id: strawberry.ID
    kind: IdentifierKind
    value: str
    verified: bool
    verified_at: datetime | None
    created_at: datetime

    @classmethod
    def from_view(cls, view: IdentifierView) -> CustomerIdentifier:
        return cls(
            id=strawberry.ID(to_global_id("CustomerIdentifier", view.id)),
            kind=view.kind,
            value=view.value,
            verified=view.verified_at is not None,
            verified_at=view.verified_at,
            created_at=view.created_at,
        )


@strawberry.type
class MailingAddress:
    id: strawberry.ID
    first_name: str
    last_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country_code: str
    phone: str | None

    @classmethod
    def from_view(cls, v: AddressView) -> MailingAddress:
        return cls(
            id=strawberry.ID(to_global_id("MailingAddress", v.id)),
            first_name=v.first_name, last_name=v.last_name, line1=v.line1, line2=v.line2,
            city=v.city, region=v.region, postal_code=v.postal_code,
            country_code=v.country_code, phone=v.phone,
        )  # fmt: skip


@strawberry.type(description="One decision about a purpose, kept as proof.")
class ConsentRecord:
    granted: bool
    source: str
    recorded_at: datetime


@strawberry.type(description="The current decision for a purpose and every one before it.")
class Consent:
    purpose: ConsentPurpose
    granted: bool
    updated_at: datetime | None
    history: list[ConsentRecord]

    @classmethod
    def from_view(cls, v: ConsentView) -> Consent:
        return cls(
            purpose=v.purpose,
            granted=v.granted,
            updated_at=v.updated_at,
            history=[ConsentRecord(granted=r.granted, source=r.source, recorded_at=r.recorded_at)
                     for r in v.history],
        )  # fmt: skip


@strawberry.type(description="An entry of the customer's timeline.")
class CustomerEvent:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="REGISTERED, RECOGNISED, MERGED, ...; later capabilities add their kinds."
    )
    occurred_at: datetime
    channel_code: str | None
    location_id: strawberry.ID | None
    data: JSON

    @classmethod
    def from_view(cls, v: EventView) -> CustomerEvent:
        return cls(
            id=strawberry.ID(to_global_id("CustomerEvent", v.id)),
            kind=v.kind,
            occurred_at=v.occurred_at,
            channel_code=v.channel_code,
            location_id=(
                strawberry.ID(to_global_id("Location", v.location_id)) if v.location_id else None
            ),
            data=JSON(v.data),
        )


@strawberry.type(description="A person the retailer knows, across every channel.")
class Customer(Node):
    first_name: str
    last_name: str
    display_name: str
    has_account: bool = strawberry.field(description="False for a guest profile.")
    created_at: datetime
    updated_at: datetime
    erased: bool
    email: str | None = strawberry.field(description="The first email identifier.")
    phone: str | None = strawberry.field(description="The first phone identifier, E.164.")
    identifiers: list[CustomerIdentifier]
    addresses: list[MailingAddress]
    consents: list[Consent]
    channels_seen: list[str] = strawberry.field(
        description="Codes of the channels the customer was seen on."
    )
    merged_customer_ids: list[strawberry.ID] = strawberry.field(
        description="IDs of profiles merged into this one; they still resolve to it."
    )
    pk: strawberry.Private[int]
    # Who the object was built for; the timeline is read with the same rights.
    viewer: strawberry.Private[Viewer]

    @strawberry.field(
        description="The customer's active cart for the channel's group (web and app share "
        "one; the POS has its own); the request's channel when none is named."
    )
    async def cart(
        self, info: Info, channel: str | None = None
    ) -> Annotated[Cart, strawberry.lazy("schema.carts.types")] | None:
        from schema.carts.queries import customer_cart

        return await customer_cart(info, self.pk, channel, self.viewer)

    @strawberry.field(
        description="The customer's orders from every channel (web, app, store, marketplaces), "
        "newest first."
    )
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[Order, strawberry.lazy("schema.orders.types")]]:
        from schema.orders.queries import customer_orders

        return await customer_orders(info, self.pk, self.viewer, first, after, last, before)

    @strawberry.field(
        description="The customer's returns of orders from every channel, newest first."
    )
    async def returns(
        self, info: Info
    ) -> list[Annotated[Return, strawberry.lazy("schema.returns.types")]]:
        from schema.returns.views import customer_returns

        return await customer_returns(info, self.pk, self.viewer)

    @strawberry.field(description="What happened to the customer, newest first.")
    async def timeline(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CustomerEvent]:
        ctx = info.context
        request = PageRequest(first, after, last, before)
        if after is None and before is None and last is None:
            # The first page, as a list of customers asks for it: batched across the list.
            size, _ = request.resolve(ctx.settings.page_size_default, ctx.settings.page_size_max)
            page = await _first_timeline_pages(info, self.viewer).load((self.pk, size))
        else:
            page = await customer_service.timeline(
                ctx.db,
                self.viewer,
                self.pk,
                request,
                default_size=ctx.settings.page_size_default,
                max_size=ctx.settings.page_size_max,
            )
        return Connection[CustomerEvent].from_page(
            page, [CustomerEvent.from_view(e) for e in page.items]
        )


TimelineKey = tuple[int, int]


def _first_timeline_pages(info: Info, viewer: Viewer) -> DataLoader[TimelineKey, Page[EventView]]:
    """One loader per request and viewer; keys are (customer id, page size)."""
    name = f"customers.timeline.{id(viewer)}"
    loader: DataLoader[TimelineKey, Page[EventView]] | None = info.context.extras.get(name)
    if loader is None:

        async def load(keys: Sequence[TimelineKey]) -> list[Page[EventView]]:
            by_size: dict[int, list[int]] = {}
            for customer_id, size in keys:
                by_size.setdefault(size, []).append(customer_id)
            pages: dict[TimelineKey, Page[EventView]] = {}
            for size, ids in by_size.items():
                found = await customer_service.first_timeline_pages(
                    info.context.db, viewer, ids, size
                )
                pages.update({(i, size): page for i, page in found.items()})
            return [pages[key] for key in keys]

        loader = info.context.extras[name] = DataLoader(load)
    return loader


_IDENTIFIER_FIELDS = frozenset({"identifiers", "email", "phone"})


def customer_parts(tree: Tree) -> CustomerParts:
    return CustomerParts(
        identifiers=bool(_IDENTIFIER_FIELDS & tree.keys()),
        addresses="addresses" in tree,
        consents="consents" in tree,
        channels_seen="channelsSeen" in tree,
        merged="mergedCustomerIds" in tree,
    )


def _customer(read: CustomerRead, viewer: Viewer) -> Customer:
    v, own = read.view, read.identifiers
    return Customer(
        id=strawberry.ID(to_global_id("Customer", v.id)),
        pk=v.id,
        viewer=viewer,
        first_name=v.first_name,
        last_name=v.last_name,
        display_name=" ".join(p for p in (v.first_name, v.last_name) if p),
        has_account=v.has_account,
        created_at=v.created_at,
        updated_at=v.updated_at,
        erased=v.erased_at is not None,
        email=next((i.value for i in own if i.kind is IdentifierKind.EMAIL), None),
        phone=next((i.value for i in own if i.kind is IdentifierKind.PHONE), None),
        identifiers=[CustomerIdentifier.from_view(i) for i in own],
        addresses=[MailingAddress.from_view(a) for a in read.addresses],
        consents=[Consent.from_view(c) for c in read.consents],
        channels_seen=read.channels_seen,
        merged_customer_ids=[strawberry.ID(to_global_id("Customer", m)) for m in read.merged_ids],
    )


async def build_customers(
    info: Info, views: Sequence[CustomerView], tree: Tree, viewer: Viewer | None = None
) -> list[Customer]:
    """Customer objects for `views`, with the relations the query selected, one statement each."""
    viewer = viewer or info.context.viewer
    found = await customer_reads.customers_with(
        info.context.db, viewer, views, customer_parts(tree)
    )
    return [_customer(read, viewer) for read in found]
