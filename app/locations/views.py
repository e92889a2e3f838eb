from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.models.location import LocationKind, LocationStatus


class LocationCapability(StrEnum):
    SHIPPING = "SHIPPING"
    PICKUP = "PICKUP"
    RETURNS = "RETURNS"


@dataclass(frozen=True, slots=True)
class LocationView:
    id: int
    code: str
    name: str
    kind: LocationKind
    status: LocationStatus
    address_line1: str
    city: str
    region: str
    postal_code: str
    country_code: str
    latitude: float
    longitude: float
    ships: bool
    pickup: bool
    accepts_returns: bool
    priority: int

    @property
    def is_open(self) -> bool:
        return self.status is LocationStatus.OPEN

    def has(self, capability: LocationCapability) -> bool:
        match capability:
            case LocationCapability.SHIPPING:
                return self.ships
            case LocationCapability.PICKUP:
                return self.pickup
            case LocationCapability.RETURNS:
                return self.accepts_returns

    @property
    def capabilities(self) -> list[LocationCapability]:
        return [c for c in LocationCapability if self.has(c)]


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class LocationFilter:
    kinds: tuple[LocationKind, ...] = ()
    capabilities: tuple[LocationCapability, ...] = ()
    statuses: tuple[LocationStatus, ...] = ()
    near: GeoPoint | None = None
    radius_km: float | None = None


@dataclass(frozen=True, slots=True)
class LocationMatch:
    location: LocationView
    distance_km: float | None
