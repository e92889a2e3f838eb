"""Loads the demo data set once: same seed, same data."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select

from app.database import Database
from app.demo import base, catalog, customers, inventory, pricing, staff
from app.demo.context import DemoContext
from app.models.channel import Channel

SEED = 20261123

# Each step adds one domain's demo rows; later steps may use what earlier ones made.
STEPS: list[Callable[[DemoContext], Awaitable[None]]] = [
    base.load,
    catalog.load,
    staff.load,
    inventory.load,
    customers.load,
    pricing.load,
]


async def load_demo(db: Database, *, force: bool = False) -> bool:
    """Load the demo set unless the database already has data; True when it loaded."""
    async with db.write() as uow:
        existing = (await uow.session.execute(select(func.count()).select_from(Channel))).scalar()
        if existing and not force:
            return False
        ctx = DemoContext(session=uow.session, random=random.Random(SEED))
        for step in STEPS:
            await step(ctx)
    return True
