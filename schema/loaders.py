"""Per-request DataLoaders, one per relation, created with the context."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from app.catalog import reads as catalog_reads
from app.catalog.views import VariantView

if TYPE_CHECKING:
    from schema.context import Context


async def _variants(context: weakref.ref[Context], ids: Sequence[int]) -> list[VariantView | None]:
    ctx = context()
    if ctx is None:  # pragma: no cover - the request that made the loader has ended
        raise LookupError("loader used after its request")
    found = await catalog_reads.variant_views(ctx.db, ctx.viewer, ids)
    return [found.get(i) for i in ids]


class Loaders:
    def __init__(self, context: Context) -> None:
        # The loaders point back at their context weakly, so a request's context, its loaders
        # and their batch functions do not form a cycle that only the collector frees.
        owner = weakref.ref(context)
        # Variants the request's viewer may see; None for the others.
        self.variant_by_id: DataLoader[int, VariantView | None] = DataLoader(
            partial(_variants, owner)
        )
