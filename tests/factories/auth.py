from __future__ import annotations

from app.auth import service
from app.config import Settings
from app.database import Database
from app.models.staff import StaffRole

STAFF_PASSWORD = "correct-horse-battery"


async def staff_token(
    db: Database,
    settings: Settings,
    *,
    role: StaffRole = StaffRole.ADMIN,
    email: str | None = None,
    home_location_id: int | None = None,
) -> str:
    """Create a staff user with `role` and sign them in; returns the bearer token."""
    email = email or f"{role.value.lower()}@example.com"
    async with db.write() as uow:
        await service.create_staff(
            uow.session,
            email=email,
            password=STAFF_PASSWORD,
            role=role,
            home_location_id=home_location_id,
        )
    async with db.write() as uow:
        issued = await service.staff_login(uow.session, settings, email, STAFF_PASSWORD)
    return issued.token
