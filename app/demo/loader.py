"""Loads the demo data set once: same seed, same data."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select

from app.database import Database
from app.demo import (
    base,
    catalog,
    customers,
    guides,
    inventory,
    orders,
    partners,
    pricing,
    returns,
    staff,
)
from app.demo.context import DemoContext
from app.events.broker import Broker
from app.models.channel import Channel
from app.reference import cache as reference

SEED = 20261123

# Each step adds one domain's demo rows; later steps may use what earlier ones made.
STEPS: list[Callable[[DemoContext], Awaitable[None]]] = [
    base.load,
    catalog.load,
    staff.load,
    inventory.load,
    customers.load,
    pricing.load,
    partners.load,
    orders.load,
    returns.load,
    guides.load,
]


# Told before each step: its position (from 1), the number of steps, and the step's name.
Progress = Callable[[int, int, str], None]


def step_name(step: Callable[[DemoContext], Awaitable[None]]) -> str:
    return step.__module__.rsplit(".", 1)[-1]


async def load_demo(
    db: Database,
    *,
    force: bool = False,
    broker: Broker | None = None,
    progress: Progress | None = None,
) -> bool:
    """Load the demo set unless the database already has data; True when it loaded."""
    async with db.write() as uow:
        existing = (await uow.session.execute(select(func.count()).select_from(Channel))).scalar()
        if existing and not force:
            return False
        # Channels, locations and pools are among what it writes.
        reference.changed(uow, broker)
        ctx = DemoContext(session=uow.session, random=random.Random(SEED))
        for position, step in enumerate(STEPS, start=1):
            if progress is not None:
                progress(position, len(STEPS), step_name(step))
            await step(ctx)
    return True
