"""Return mutations: each is one unit of work; the payload is the return read back after
commit."""

from __future__ import annotations

import strawberry

from app.database import UnitOfWork
from app.returns import create, reads, receive
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import CustomerOrStaff, IsStaff
from schema.relay import decode_id
from schema.returns.inputs import ReturnCreateInput, ReturnReceiveInput
from schema.returns.types import ReturnPayload, build_return


async def return_payload(
    info: Info, return_id: int | None, errors: list[UserError]
) -> ReturnPayload:
    if return_id is None:
        return ReturnPayload(return_=None, user_errors=errors)
    found = await reads.returns_by_ids(info.context.db, [return_id])
    return ReturnPayload(return_=build_return(found[return_id]), user_errors=errors)


@strawberry.type
class ReturnMutation:
    @strawberry.mutation(
        permission_classes=[CustomerOrStaff],
        description="Start a return of any order, whatever its channel: handed in at a store "
        "that accepts returns (locationId) or sent by mail to a warehouse (byMail). Customers "
        "return their own orders; staff any order, an associate at their own store. Only units "
        "handed over or shipped, less those already returned, within the order channel's "
        "return window.",
    )
    async def return_create(self, info: Info, input: ReturnCreateInput) -> ReturnPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            request = create.ReturnRequest(
                order_id=decode_id(input.order_id, "Order", "orderId"),
                lines=tuple(
                    create.ReturnLineRequest(
                        decode_id(ln.line_id, "OrderLine", f"lines.{i}.lineId"), ln.quantity
                    )
                    for i, ln in enumerate(input.lines)
                ),
                reason=input.reason,
                location_id=decode_id(input.location_id, "Location", "locationId")
                if input.location_id
                else None,
                by_mail=input.by_mail,
            )
            return await create.create_return(uow, ctx.viewer, request)

        found, errors = await perform(info, action)
        return await return_payload(info, found, errors)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Check a return in where it was handed in: RESTOCK units are sellable there "
        "at once, DAMAGED units are recorded and kept out of stock. Received once: a retry with "
        "the same idempotencyKey changes nothing; another key is RETURN_ALREADY_RECEIVED.",
    )
    async def return_receive(self, info: Info, input: ReturnReceiveInput) -> ReturnPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> int:
            request = receive.ReceiveRequest(
                return_id=decode_id(input.return_id, "Return", "returnId"),
                idempotency_key=input.idempotency_key,
                lines=tuple(
                    receive.ReceivedLine(
                        decode_id(ln.line_id, "OrderLine", f"lines.{i}.lineId"),
                        ln.quantity,
                        ln.disposition,
                    )
                    for i, ln in enumerate(input.lines)
                ),
            )
            return await receive.receive_return(uow, ctx.broker(), ctx.viewer, request)

        found, errors = await perform(info, action)
        return await return_payload(info, found, errors)
