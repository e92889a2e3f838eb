"""The ledger audit behind `omnigraph inventory verify`."""

from __future__ import annotations

from dataclasses import dataclass

from app.database import Database
from app.inventory import repository
from app.inventory.views import LedgerDrift


@dataclass(frozen=True, slots=True)
class LedgerReport:
    levels_checked: int
    drift: list[LedgerDrift]

    @property
    def ok(self) -> bool:
        return not self.drift


async def verify_ledger(db: Database) -> LedgerReport:
    """Compare every level's on-hand with the sum of its movements."""
    return LedgerReport(await repository.count_levels(db), await repository.ledger_drift(db))
