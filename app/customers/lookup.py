"""Finding the customer a write is about, following merges to the survivor."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.customers import repository
from app.customers.errors import CustomerErased, CustomerNotFound
from app.models.customer import Customer


async def live_customer(session: AsyncSession, customer_id: int, field: str = "id") -> Customer:
    """The customer that stands for `customer_id` now (the survivor of a merge), locked."""
    customer = await repository.customer_for_update(session, customer_id)
    if customer is not None and customer.merged_into_id is not None:
        customer = await repository.customer_for_update(session, customer.merged_into_id)
    if customer is None:
        raise CustomerNotFound("No such customer", field=field)
    if customer.erased_at is not None:
        raise CustomerErased("This customer's data was erased", field=field)
    return customer
