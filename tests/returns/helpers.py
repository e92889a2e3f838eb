"""A shipped web order to return, the staff who take it back, and the return documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select, update

from app.config import Settings
from app.database import Database
from app.models.channel import Channel
from app.models.location import Location
from app.models.returns import Return
from app.models.staff import StaffRole
from app.reference import cache as reference
from tests.factories.carts import World, world
from tests.factories.customers import create_customer, customer_token, quick_staff_token
from tests.graphql import gql
from tests.orders.documents import MONTREAL, SHIP, cart_with, checkout, result

RETURN_FIELDS = (
    "id number status orderId orderNumber locationId byMail reason receivedAt"
    " lines { lineId sku quantity restocked damaged }"
)
RETURN_CREATE = (
    "mutation Start($input: ReturnCreateInput!) { returnCreate(input: $input) {"
    " return { " + RETURN_FIELDS + " } userErrors { field code message } } }"
)

LINE_IDS = (
    "query Lines($id: ID!) { order(id: $id) { lines { id sku quantity total { amount }"
    " tax { amount } } } }"
)


@dataclass
class Shop:
    w: World
    customer: str
    ops: str
    clerk: str
    order: dict[str, Any]

    def line(self, sku: str) -> str:
        found: str = next(ln["id"] for ln in self.order["lines"] if ln["sku"] == sku)
        return found


async def accept_returns(db: Database, *location_ids: int) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(Location).where(Location.id.in_(location_ids)).values(accepts_returns=True)
        )
        reference.changed(uow)


async def set_window(db: Database, channel_id: int, days: int) -> None:
    async with db.write() as uow:
        await uow.session.execute(
            update(Channel).where(Channel.id == channel_id).values(return_window_days=days)
        )
        reference.changed(uow)


async def return_count(db: Database) -> int:
    async with db.write() as uow:
        return int(
            (await uow.session.execute(select(func.count()).select_from(Return))).scalar_one()
        )


async def shipped_order(
    client: httpx.AsyncClient, db: Database, settings: Settings, *, ship: bool = True
) -> Shop:
    """Ana's web order of two MUG-0 and one TEE-0, shipped from the warehouse."""
    w = await world(db)
    await accept_returns(db, w.store.id)
    ana = await create_customer(db, email="ana@example.com")
    token = await customer_token(db, settings, ana)
    ops = await quick_staff_token(db, role=StaffRole.OPERATIONS, email="ops@example.com")
    clerk = await quick_staff_token(
        db, role=StaffRole.STORE_ASSOCIATE, email="clerk@example.com", home_location_id=w.store.id
    )
    cart_id = await cart_with(
        client, [(w.variant("MUG-0"), 2), (w.variant("TEE-0"), 1)], token=token, ship_to=MONTREAL
    )
    placed = await checkout(client, cart_id, "web-1", token=token)
    assert placed["userErrors"] == [], placed
    order = placed["order"]
    if ship:
        for f in order["fulfillments"]:
            shipped = result(await gql(client, SHIP, {"id": f["id"]}, token=ops), "fulfillmentShip")
            assert shipped["userErrors"] == [], shipped
            order = shipped["order"]
    lines = await gql(client, LINE_IDS, {"id": order["id"]}, token=ops)
    order["lines"] = lines["data"]["order"]["lines"]
    return Shop(w, token, ops, clerk, order)


async def start_return(
    client: httpx.AsyncClient, token: str, input: dict[str, Any]
) -> dict[str, Any]:
    return result(await gql(client, RETURN_CREATE, {"input": input}, token=token), "returnCreate")


RETURN_RECEIVE = (
    "mutation Receive($input: ReturnReceiveInput!) { returnReceive(input: $input) {"
    " return { " + RETURN_FIELDS + " } userErrors { field code message } } }"
)


async def receive(
    client: httpx.AsyncClient, token: str, return_id: str, key: str, lines: list[dict[str, Any]]
) -> dict[str, Any]:
    variables = {"input": {"returnId": return_id, "idempotencyKey": key, "lines": lines}}
    return result(await gql(client, RETURN_RECEIVE, variables, token=token), "returnReceive")


REFUND_CREATE = (
    "mutation Refund($input: RefundCreateInput!) { refundCreate(input: $input) {"
    " refund { id amount { amount } shipping { amount } method creditNote"
    " payments { paymentId amount { amount } } }"
    " userErrors { field code message } } }"
)


async def refund(
    client: httpx.AsyncClient, token: str, return_id: str, key: str, **fields: Any
) -> dict[str, Any]:
    variables = {"input": {"returnId": return_id, "idempotencyKey": key, **fields}}
    return result(await gql(client, REFUND_CREATE, variables, token=token), "refundCreate")
