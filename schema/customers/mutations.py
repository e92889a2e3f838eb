from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.auth.access import ensure_can_act_at_location
from app.customers import identity, merge, privacy, profiles
from app.customers.views import Recognition
from app.database import UnitOfWork
from schema.context import Info
from schema.customers.inputs import (
    CustomerAddressAddInput,
    CustomerConsentUpdateInput,
    CustomerIdentifierAddInput,
    CustomerRecogniseInput,
    CustomerUpdateInput,
)
from schema.customers.queries import customer_by_id
from schema.customers.types import Customer, CustomerIdentifier
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import CustomerOrAdmin, IsStaff, StaffOrCustomer
from schema.relay import decode_id, to_global_id
from schema.selection import selection_tree


@strawberry.type
class CustomerPayload:
    customer: Customer | None
    user_errors: list[UserError]


@strawberry.type
class CustomerIdentifierPayload:
    customer: Customer | None
    identifier: CustomerIdentifier | None
    user_errors: list[UserError]


@strawberry.type
class CustomerRecognisePayload:
    customer: Customer | None
    created: bool
    also_matched_customer_ids: list[strawberry.ID] = strawberry.field(
        description="Other customers holding one of the identifiers: candidates for a merge."
    )
    user_errors: list[UserError]


@strawberry.type
class CustomerDataExportPayload:
    data: JSON | None
    user_errors: list[UserError]


@strawberry.type
class CustomerErasePayload:
    erased_customer_id: strawberry.ID | None
    user_errors: list[UserError]


async def customer_payload(
    info: Info, customer_id: int | None, errors: list[UserError]
) -> CustomerPayload:
    if customer_id is None:
        return CustomerPayload(customer=None, user_errors=errors)
    tree = selection_tree(info).get("customer", {})
    return CustomerPayload(
        customer=await customer_by_id(info, customer_id, tree), user_errors=errors
    )


async def _identifier_payload(
    info: Info, found: tuple[int, Any] | None, errors: list[UserError]
) -> CustomerIdentifierPayload:
    if found is None:
        return CustomerIdentifierPayload(customer=None, identifier=None, user_errors=errors)
    customer_id, row = found
    tree = selection_tree(info).get("customer", {})
    return CustomerIdentifierPayload(
        customer=await customer_by_id(info, customer_id, tree),
        identifier=CustomerIdentifier(
            id=strawberry.ID(to_global_id("CustomerIdentifier", row.id)),
            kind=row.kind,
            value=row.value,
            verified=row.verified_at is not None,
            verified_at=row.verified_at,
            created_at=row.created_at,
        ),
        user_errors=errors,
    )


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(
        permission_classes=[StaffOrCustomer],
        description="Add an email, phone, loyalty card or external id to a customer.",
    )
    async def customer_identifier_add(
        self, info: Info, input: CustomerIdentifierAddInput
    ) -> CustomerIdentifierPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> tuple[int, Any]:
            row = await identity.add_identifier(
                uow.session, ctx.viewer, decode_id(input.customer_id, "Customer", "customerId"),
                input.kind, input.value, default_region=ctx.settings.phone_default_region,
            )  # fmt: skip
            return row.customer_id, row

        found, errors = await perform(info, action)
        return await _identifier_payload(info, found, errors)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Mark an identifier as checked by staff (card shown, code read back).",
    )
    async def customer_identifier_verify(
        self, info: Info, identifier_id: strawberry.ID
    ) -> CustomerIdentifierPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> tuple[int, Any]:
            pk = decode_id(identifier_id, "CustomerIdentifier", "identifierId")
            row = await identity.verify_identifier(uow.session, ctx.viewer, pk)
            return row.customer_id, row

        found, errors = await perform(info, action)
        return await _identifier_payload(info, found, errors)

    @strawberry.mutation(permission_classes=[StaffOrCustomer], description="Change names.")
    async def customer_update(self, info: Info, input: CustomerUpdateInput) -> CustomerPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            customer = await profiles.update_profile(
                uow.session, ctx.viewer, decode_id(input.customer_id, "Customer", "customerId"),
                first_name=input.first_name, last_name=input.last_name,
            )  # fmt: skip
            return customer.id

        customer_id, errors = await perform(info, action)
        return await customer_payload(info, customer_id, errors)

    @strawberry.mutation(permission_classes=[StaffOrCustomer])
    async def customer_address_add(
        self, info: Info, input: CustomerAddressAddInput
    ) -> CustomerPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            row = await profiles.add_address(
                uow.session, ctx.viewer, decode_id(input.customer_id, "Customer", "customerId"),
                input.address.to_domain(), default_region=ctx.settings.phone_default_region,
            )  # fmt: skip
            return row.customer_id

        customer_id, errors = await perform(info, action)
        return await customer_payload(info, customer_id, errors)

    @strawberry.mutation(
        permission_classes=[StaffOrCustomer],
        description="Grant or withdraw consent for one purpose; earlier decisions stay.",
    )
    async def customer_consent_update(
        self, info: Info, input: CustomerConsentUpdateInput
    ) -> CustomerPayload:
        ctx = info.context
        viewer = ctx.viewer
        source = f"staff:{viewer.staff_id}" if viewer.is_staff else ctx.channel_code or "self"

        async def action(uow: UnitOfWork) -> int:
            customer = await profiles.set_consent(
                uow.session, viewer, decode_id(input.customer_id, "Customer", "customerId"),
                input.purpose, input.granted, source=source,
            )  # fmt: skip
            return customer.id

        customer_id, errors = await perform(info, action)
        return await customer_payload(info, customer_id, errors)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Find the customer behind identifiers given at a till, or create a guest.",
    )
    async def customer_recognise(
        self, info: Info, input: CustomerRecogniseInput
    ) -> CustomerRecognisePayload:
        ctx = info.context
        viewer = ctx.viewer

        async def action(uow: UnitOfWork) -> Recognition:
            location_id = (
                decode_id(input.location_id, "Location", "locationId")
                if input.location_id
                else viewer.home_location_id
            )
            if location_id is not None:
                ensure_can_act_at_location(viewer, location_id)
            return await identity.recognise_customer(
                uow.session, [i.to_domain() for i in input.identifiers],
                default_region=ctx.settings.phone_default_region,
                channel_code=ctx.channel_code, location_id=location_id,
                staff_user_id=viewer.staff_id, first_name=input.first_name,
                last_name=input.last_name,
            )  # fmt: skip

        found, errors = await perform(info, action)
        tree = selection_tree(info).get("customer", {})
        return CustomerRecognisePayload(
            customer=await customer_by_id(info, found.customer_id, tree) if found else None,
            created=bool(found and found.created),
            also_matched_customer_ids=[
                strawberry.ID(to_global_id("Customer", i))
                for i in (found.also_matched if found else [])
            ],
            user_errors=errors,
        )

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Merge the source customer into the target; the source ID keeps resolving "
        "to the target.",
    )
    async def customer_merge(
        self, info: Info, source_id: strawberry.ID, target_id: strawberry.ID
    ) -> CustomerPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            target = await merge.merge_customers(
                uow.session, ctx.viewer, source_id=decode_id(source_id, "Customer", "sourceId"),
                target_id=decode_id(target_id, "Customer", "targetId"),
            )  # fmt: skip
            return target.id

        customer_id, errors = await perform(info, action)
        return await customer_payload(info, customer_id, errors)

    @strawberry.mutation(
        permission_classes=[CustomerOrAdmin],
        description="Everything held about a customer, as JSON (the customer, or an admin).",
    )
    async def customer_data_export(
        self, info: Info, customer_id: strawberry.ID
    ) -> CustomerDataExportPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> dict[str, Any]:
            pk = decode_id(customer_id, "Customer", "customerId")
            return await privacy.export_customer_data(uow.session, ctx.viewer, pk)

        data, errors = await perform(info, action)
        return CustomerDataExportPayload(
            data=JSON(data) if data is not None else None, user_errors=errors
        )

    @strawberry.mutation(
        permission_classes=[CustomerOrAdmin],
        description="Anonymise a customer's personal data; records other domains need stay.",
    )
    async def customer_erase(self, info: Info, customer_id: strawberry.ID) -> CustomerErasePayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            pk = decode_id(customer_id, "Customer", "customerId")
            return (await privacy.erase_customer(uow.session, ctx.viewer, pk)).id

        erased, errors = await perform(info, action)
        return CustomerErasePayload(
            erased_customer_id=strawberry.ID(to_global_id("Customer", erased)) if erased else None,
            user_errors=errors,
        )
