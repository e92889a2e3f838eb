"""Finding locations: by kind and capability, and nearest first around a point."""

from __future__ import annotations

from collections.abc import Iterable

from app.errors import Invalid
from app.kit.geo import haversine_km
from app.locations.views import GeoPoint, LocationFilter, LocationMatch, LocationView

MAX_RADIUS_KM = 20_000.0


def check_point(point: GeoPoint, field: str = "near") -> GeoPoint:
    if not -90 <= point.latitude <= 90:
        raise Invalid("Latitude must be between -90 and 90", code="INVALID_COORDINATES",
                      field=f"{field}.latitude")  # fmt: skip
    if not -180 <= point.longitude <= 180:
        raise Invalid("Longitude must be between -180 and 180", code="INVALID_COORDINATES",
                      field=f"{field}.longitude")  # fmt: skip
    return point


def check_radius(radius_km: float | None, field: str = "radiusKm") -> float | None:
    if radius_km is not None and not 0 < radius_km <= MAX_RADIUS_KM:
        raise Invalid(
            f"The radius must be above 0 and at most {MAX_RADIUS_KM:g} km",
            code="INVALID_RADIUS",
            field=field,
        )
    return radius_km


def distance_km(point: GeoPoint, location: LocationView) -> float:
    return haversine_km(point.latitude, point.longitude, location.latitude, location.longitude)


def find_locations(
    locations: Iterable[LocationView], wanted: LocationFilter
) -> list[LocationMatch]:
    """Matching locations: nearest first when a point is given, else by priority."""
    if wanted.near is not None:
        check_point(wanted.near)
    check_radius(wanted.radius_km)
    if wanted.radius_km is not None and wanted.near is None:
        raise Invalid("A radius needs a point to measure from", code="INVALID_RADIUS",
                      field="near")  # fmt: skip
    matches = []
    for location in locations:
        if wanted.kinds and location.kind not in wanted.kinds:
            continue
        if wanted.statuses and location.status not in wanted.statuses:
            continue
        if not all(location.has(c) for c in wanted.capabilities):
            continue
        distance = distance_km(wanted.near, location) if wanted.near is not None else None
        if distance is not None and wanted.radius_km is not None and distance > wanted.radius_km:
            continue
        matches.append(LocationMatch(location, distance))
    # Equally distant locations (or no point at all) fall back to the routing priority.
    matches.sort(key=lambda m: (m.distance_km or 0.0, m.location.priority, m.location.id))
    return matches
