"""Demo staff accounts, one per role; their passwords are printed in the README."""

from __future__ import annotations

from app.auth.service import create_staff
from app.demo.context import DemoContext
from app.models.staff import StaffRole

DEMO_PASSWORD = "omnigraph-demo"
STAFF = [
    ("admin@demo.omnigraph.dev", "Ada Admin", StaffRole.ADMIN, None),
    ("ops@demo.omnigraph.dev", "Olivier Operations", StaffRole.OPERATIONS, None),
    ("downtown@demo.omnigraph.dev", "Sofia Store", StaffRole.STORE_ASSOCIATE, "st-downtown"),
]


async def load(ctx: DemoContext) -> None:
    for email, name, role, home in STAFF:
        await create_staff(
            ctx.session, email=email, password=DEMO_PASSWORD, role=role, name=name,
            home_location_id=ctx.locations[home].id if home else None,
        )  # fmt: skip
