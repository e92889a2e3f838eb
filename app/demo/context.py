from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.catalog import Product, Variant
from app.models.channel import Channel
from app.models.location import Location


@dataclass
class DemoContext:
    """What the demo steps share: the session, a seeded random source and what was made."""

    session: AsyncSession
    random: random.Random
    channels: dict[str, Channel] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    products: list[Product] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
