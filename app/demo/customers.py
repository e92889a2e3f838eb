"""Demo customers: among them one person known twice, ready for a merge.

Camille Roy bought in the downtown store giving only her phone number, and has an online
account under her email. Staff find both with `customers(search: "Camille")` and merge the
store profile into the online one.
"""

from __future__ import annotations

from datetime import timedelta

from app.customers.identity import attach_identifier
from app.customers.timeline import EventKind, record_customer_event
from app.demo.context import DemoContext
from app.demo.staff import DEMO_PASSWORD
from app.kit.clock import utcnow
from app.kit.security import hash_password
from app.models.customer import (
    ConsentPurpose,
    Customer,
    CustomerAddress,
    CustomerConsent,
    IdentifierKind,
)

EMAIL, PHONE, CARD = IdentifierKind.EMAIL, IdentifierKind.PHONE, IdentifierKind.LOYALTY_CARD

# first name, last name, account?, identifiers, channel first seen, store, days ago
CUSTOMERS = [
    ("Camille", "Roy", False, [(PHONE, "+15145550142")], "pos", "st-downtown", 40),
    ("Camille", "Roy", True, [(EMAIL, "camille.roy@demo.omnigraph.dev")], "web", None, 12),
    ("Jonah", "Tremblay", True,
     [(EMAIL, "jonah.tremblay@demo.omnigraph.dev"), (PHONE, "+14385550177"),
      (CARD, "OMNI00042")], "app", None, 90),
    ("Priya", "Nair", True, [(EMAIL, "priya.nair@demo.omnigraph.dev")], "web", None, 5),
    ("Luc", "Gagnon", False, [(PHONE, "+15145550199"), (CARD, "OMNI00108")], "pos",
     "st-plateau", 20),
]  # fmt: skip


async def load(ctx: DemoContext) -> None:
    session = ctx.session
    password_hash = hash_password(DEMO_PASSWORD)
    now = utcnow()
    for first, last, account, identifiers, channel, store, days_ago in CUSTOMERS:
        seen_at = now - timedelta(days=days_ago)
        customer = Customer(
            first_name=first,
            last_name=last,
            password_hash=password_hash if account else None,
            password_changed_at=seen_at if account else None,
            created_at=seen_at,
        )
        session.add(customer)
        await session.flush()
        location_id = ctx.locations[store].id if store else None
        await record_customer_event(
            session, customer.id,
            EventKind.REGISTERED if account else EventKind.CREATED_AS_GUEST,
            channel_code=channel, location_id=location_id, occurred_at=seen_at,
        )  # fmt: skip
        for kind, value in identifiers:
            await attach_identifier(
                session, customer, kind, value, verified=store is not None, channel_code=channel
            )
        if account:
            session.add(
                CustomerAddress(
                    customer_id=customer.id,
                    first_name=first,
                    last_name=last,
                    line1="4380 Rue Saint-Denis",
                    city="Montréal",
                    region="QC",
                    postal_code="H2J 2L1",
                    country_code="CA",
                )
            )
            session.add(
                CustomerConsent(
                    customer_id=customer.id,
                    purpose=ConsentPurpose.MARKETING_EMAIL,
                    granted=True,
                    source=channel,
                    recorded_at=seen_at,
                )
            )
    await session.flush()
