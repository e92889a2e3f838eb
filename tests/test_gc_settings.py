"""Start-up tunes the cycle collector: what start-up built is frozen, and the youngest
generation is collected at the configured threshold."""

from __future__ import annotations

import gc

from app.config import Settings
from app.database import Database
from app.server import create_app


async def test_startup_applies_the_young_generation_threshold(
    db: Database, settings: Settings
) -> None:
    # given
    before = gc.get_threshold()
    application = create_app(settings.model_copy(update={"gc_young_threshold": 12_345}), db)
    try:
        # when the application starts
        async with application.router.lifespan_context(application):
            # then
            assert gc.get_threshold() == (12_345, before[1], before[2])
            assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
