"""Per-request DataLoaders, one per relation, created with the context."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from app.catalog import reads as catalog_reads
from app.catalog.views import VariantView

if TYPE_CHECKING:
    from schema.context import Context


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        # Variants the request's viewer may see; None for the others.
        self.variant_by_id: DataLoader[int, VariantView | None] = DataLoader(self._variants)

    async def _variants(self, ids: Sequence[int]) -> list[VariantView | None]:
        found = await catalog_reads.variant_views(self._context.db, self._context.viewer, ids)
        return [found.get(i) for i in ids]
