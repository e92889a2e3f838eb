"""Channels and locations of the demo retailer: one metro area (Montreal), real coordinates."""

from __future__ import annotations

from app.demo.context import DemoContext
from app.models.channel import Channel, ChannelKind
from app.models.location import Location, LocationKind

CHANNELS = [
    ("web", "Web store", ChannelKind.WEB, "CAD", "en"),
    ("app", "Mobile app", ChannelKind.APP, "CAD", "en"),
    ("pos", "In-store POS", ChannelKind.POS, "CAD", "fr"),
    ("marketplace-us", "US marketplace", ChannelKind.MARKETPLACE, "USD", "en"),
]

# code, name, kind, street address, city, postal code, latitude, longitude, ships, pickup
LOCATIONS = [
    ("wh-laval", "Laval distribution centre", LocationKind.WAREHOUSE,
     "2500 Boulevard Dagenais O", "Laval", "H7L 5Y1", 45.5869, -73.7650, True, False),
    ("wh-saint-laurent", "Saint-Laurent warehouse", LocationKind.WAREHOUSE,
     "6600 Chemin Saint-François", "Saint-Laurent", "H4S 1B7", 45.4905, -73.7287, True, False),
    ("st-downtown", "Downtown – Sainte-Catherine", LocationKind.STORE,
     "977 Rue Sainte-Catherine O", "Montréal", "H3B 4W3", 45.5010, -73.5706, True, True),
    ("st-plateau", "Plateau – Mont-Royal", LocationKind.STORE,
     "4380 Rue Saint-Denis", "Montréal", "H2J 2L1", 45.5225, -73.5837, False, True),
    ("st-old-port", "Old Port", LocationKind.STORE,
     "300 Rue Saint-Paul O", "Montréal", "H2Y 2A3", 45.5029, -73.5563, False, True),
    ("st-ndg", "Notre-Dame-de-Grâce", LocationKind.STORE,
     "5600 Rue Sherbrooke O", "Montréal", "H4A 1W6", 45.4705, -73.6147, True, True),
    ("st-laval", "Laval – Carrefour", LocationKind.STORE,
     "3035 Boulevard le Carrefour", "Laval", "H7T 1C8", 45.5706, -73.7513, True, True),
    ("st-longueuil", "Longueuil", LocationKind.STORE,
     "825 Rue Saint-Laurent O", "Longueuil", "J4K 2V1", 45.5268, -73.5189, False, True),
    ("st-pointe-claire", "Pointe-Claire – West Island", LocationKind.STORE,
     "6815 Route Transcanadienne", "Pointe-Claire", "H9R 1C4", 45.4627, -73.8275, True, True),
]  # fmt: skip


async def load(ctx: DemoContext) -> None:
    session = ctx.session
    for code, name, channel_kind, currency, locale in CHANNELS:
        channel = Channel(code=code, name=name, kind=channel_kind, currency_code=currency,
                          default_locale=locale, return_window_days=30)  # fmt: skip
        session.add(channel)
        ctx.channels[code] = channel
    for index, row in enumerate(LOCATIONS):
        code, name, kind, street, city, postal, lat, lon, ships, pickup = row
        location = Location(
            code=code, name=name, kind=kind, address_line1=street, city=city, region="QC",
            postal_code=postal, country_code="CA", latitude=lat, longitude=lon, ships=ships,
            pickup=pickup, accepts_returns=kind is LocationKind.STORE, priority=10 + index,
        )  # fmt: skip
        session.add(location)
        ctx.locations[code] = location
    await session.flush()
