"""Signing in and out: staff and customer sessions, customer registration and password reset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service
from app.auth.service import IssuedToken
from app.auth.throttle import LoginKeys, guarded_login
from app.auth.viewer import Viewer, ViewerKind
from app.customers import accounts
from app.customers.accounts import Registration
from app.database import Database, UnitOfWork
from app.errors import DomainError
from schema.context import Info
from schema.customers.inputs import CustomerRegisterInput
from schema.customers.queries import customer_by_id
from schema.customers.types import Customer
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import IsCustomer, IsStaff, Public
from schema.selection import selection_tree


@strawberry.type
class StaffLoginPayload:
    token: str | None
    expires_at: datetime | None
    user_errors: list[UserError]


@strawberry.type
class CustomerTokenPayload:
    token: str | None
    expires_at: datetime | None
    user_errors: list[UserError]


@strawberry.type
class CustomerRegisterPayload:
    customer: Customer | None
    token: str | None
    expires_at: datetime | None
    user_errors: list[UserError]


@strawberry.type
class SignOutPayload:
    signed_out: bool
    user_errors: list[UserError]


@strawberry.type
class CustomerPasswordResetRequestPayload:
    requested: bool = strawberry.field(
        description="Always true: whether the email is known is not revealed."
    )
    user_errors: list[UserError]


def _client_address(info: Info) -> str | None:
    request = info.context.request
    client = request.client if request is not None else None
    return client.host if client is not None else None


async def _login(
    info: Info,
    kind: str,
    email: str,
    attempt: Callable[[AsyncSession], Awaitable[IssuedToken]],
) -> tuple[IssuedToken | None, list[UserError]]:
    """A sign-in, slowed down after repeated failures for the account or the address."""

    async def run(db: Database) -> IssuedToken:
        async with db.write() as uow:
            return await attempt(uow.session)

    keys = LoginKeys.of(kind, email, _client_address(info))
    try:
        issued = await guarded_login(info.context.db, info.context.settings, keys, run)
    except DomainError as error:
        return None, [UserError.from_domain(error)]
    return issued, []


def _token_payload(issued: IssuedToken | None, errors: list[UserError]) -> CustomerTokenPayload:
    return CustomerTokenPayload(
        token=issued.token if issued else None,
        expires_at=issued.expires_at if issued else None,
        user_errors=errors,
    )


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        permission_classes=[Public], description="Sign a staff member in; returns a bearer token."
    )
    async def staff_login(self, info: Info, email: str, password: str) -> StaffLoginPayload:
        settings = info.context.settings

        async def attempt(session: AsyncSession) -> IssuedToken:
            return await service.staff_login(session, settings, email, password)

        issued, errors = await _login(info, "staff", email, attempt)
        return StaffLoginPayload(
            token=issued.token if issued else None,
            expires_at=issued.expires_at if issued else None,
            user_errors=errors,
        )

    @strawberry.mutation(permission_classes=[IsStaff], description="Revoke the current token.")
    async def staff_logout(self, info: Info) -> SignOutPayload:
        return await _sign_out(info)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Create a customer account and sign it in.",
    )
    async def customer_register(
        self, info: Info, input: CustomerRegisterInput
    ) -> CustomerRegisterPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> Registration:
            return await accounts.register(
                uow.session, ctx.settings, email=input.email, password=input.password,
                first_name=input.first_name, last_name=input.last_name,
                channel_code=ctx.channel_code or ctx.settings.default_channel,
            )  # fmt: skip

        done, errors = await perform(info, action)
        if done is None:
            return CustomerRegisterPayload(
                customer=None, token=None, expires_at=None, user_errors=errors
            )
        # The request was anonymous; the payload is read as the customer it created.
        created = Viewer(kind=ViewerKind.CUSTOMER, customer_id=done.customer.id)
        tree = selection_tree(info).get("customer", {})
        return CustomerRegisterPayload(
            customer=await customer_by_id(info, done.customer.id, tree, viewer=created),
            token=done.token.token,
            expires_at=done.token.expires_at,
            user_errors=[],
        )

    @strawberry.mutation(
        permission_classes=[Public], description="Sign a customer in with email and password."
    )
    async def customer_login(self, info: Info, email: str, password: str) -> CustomerTokenPayload:
        settings = info.context.settings

        async def attempt(session: AsyncSession) -> IssuedToken:
            return await accounts.login(session, settings, email=email, password=password)

        return _token_payload(*await _login(info, "customer", email, attempt))

    @strawberry.mutation(permission_classes=[IsCustomer], description="Revoke the current token.")
    async def customer_logout(self, info: Info) -> SignOutPayload:
        return await _sign_out(info)

    @strawberry.mutation(
        permission_classes=[IsCustomer],
        description="Change the password: every session ends; a new token is returned.",
    )
    async def customer_password_change(
        self, info: Info, current_password: str, new_password: str
    ) -> CustomerTokenPayload:
        ctx = info.context

        async def attempt(session: AsyncSession) -> IssuedToken:
            return await accounts.change_password(
                session, ctx.settings, ctx.viewer, current=current_password, new=new_password
            )

        # A stolen token must not become a way to guess the password at full speed.
        account = str(ctx.viewer.customer_id)
        return _token_payload(*await _login(info, "customer-password", account, attempt))

    @strawberry.mutation(
        permission_classes=[Public],
        description="Send a password reset link to the email, if it belongs to a customer.",
    )
    async def customer_password_reset_request(
        self, info: Info, email: str
    ) -> CustomerPasswordResetRequestPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> None:
            await accounts.request_password_reset(uow.session, ctx.settings, email=email)

        _, errors = await perform(info, action)
        return CustomerPasswordResetRequestPayload(requested=True, user_errors=errors)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Set a new password with a reset token; signs the customer in.",
    )
    async def customer_password_reset(
        self, info: Info, token: str, new_password: str
    ) -> CustomerTokenPayload:
        ctx = info.context

        async def action(uow: UnitOfWork) -> IssuedToken:
            return await accounts.reset_password(
                uow.session, ctx.settings, token=token, new_password=new_password
            )

        return _token_payload(*await perform(info, action))


async def _sign_out(info: Info) -> SignOutPayload:
    async def action(uow: UnitOfWork) -> bool:
        await service.sign_out(uow.session, info.context.viewer)
        return True

    done, errors = await perform(info, action)
    return SignOutPayload(signed_out=bool(done), user_errors=errors)
