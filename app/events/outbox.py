"""The transactional outbox: an event is a row written in the transaction of its change.

Nothing is sent from here. The dispatcher (app/webhooks/dispatcher.py) reads committed rows
later, so a rolled-back change never emits anything and a crash after commit loses nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.catalog import EVENT_TYPES
from app.models.events import AggregateSequence, OutboxEvent


async def _next_sequence(session: AsyncSession, aggregate_type: str, aggregate_id: str) -> int:
    # One upsert: it numbers the aggregate's events and its row lock makes concurrent
    # transactions on the same aggregate take their numbers in commit order.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt: Insert = insert(AggregateSequence).values(
        aggregate_type=aggregate_type, aggregate_id=aggregate_id, last_sequence=1
    )
    stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=["aggregate_type", "aggregate_id"],
        set_={"last_sequence": AggregateSequence.last_sequence + 1},
    ).returning(AggregateSequence.last_sequence)
    return int((await session.execute(stmt)).scalar_one())


async def emit(
    session: AsyncSession, name: str, *, aggregate_id: int | str, data: dict[str, Any]
) -> OutboxEvent:
    """Record event `name` (declared in app/events/catalog.py) about one aggregate."""
    event_type = EVENT_TYPES.get(name)
    if event_type is None:
        raise ValueError(f"Unknown event {name!r}; declare it in app/events/catalog.py")
    aggregate = str(aggregate_id)
    sequence = await _next_sequence(session, event_type.aggregate_type, aggregate)
    event = OutboxEvent(
        event_id=str(uuid.uuid4()),
        name=name,
        aggregate_type=event_type.aggregate_type,
        aggregate_id=aggregate,
        sequence=sequence,
        payload=data,
    )
    session.add(event)
    return event
