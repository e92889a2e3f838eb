from __future__ import annotations

from datetime import datetime

import strawberry

from app.auth import service
from app.auth.service import IssuedToken
from app.database import UnitOfWork
from schema.context import Info
from schema.errors import UserError
from schema.mutation import perform
from schema.permissions import IsStaff, Public


@strawberry.type
class StaffLoginPayload:
    token: str | None
    expires_at: datetime | None
    user_errors: list[UserError]


@strawberry.type
class SignOutPayload:
    signed_out: bool
    user_errors: list[UserError]


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        permission_classes=[Public], description="Sign a staff member in; returns a bearer token."
    )
    async def staff_login(self, info: Info, email: str, password: str) -> StaffLoginPayload:
        async def action(uow: UnitOfWork) -> IssuedToken:
            return await service.staff_login(uow.session, info.context.settings, email, password)

        issued, errors = await perform(info, action)
        return StaffLoginPayload(
            token=issued.token if issued else None,
            expires_at=issued.expires_at if issued else None,
            user_errors=errors,
        )

    @strawberry.mutation(permission_classes=[IsStaff], description="Revoke the current token.")
    async def staff_logout(self, info: Info) -> SignOutPayload:
        async def action(uow: UnitOfWork) -> bool:
            await service.sign_out(uow.session, info.context.viewer)
            return True

        done, errors = await perform(info, action)
        return SignOutPayload(signed_out=bool(done), user_errors=errors)
