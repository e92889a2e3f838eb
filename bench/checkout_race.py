"""checkout-race: many shoppers checking out the same hot SKUs at once, against a server on
PostgreSQL; reports orders per second and verifies afterwards that nothing was oversold.

    python -m bench.checkout_race --workers 2 --carts 2000 --clients 64

Carts are filled beforehand (not timed); the timed phase is only `checkoutComplete`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.listing import throwaway_database
from bench.proc import HOST, server, wait_ready

CREATE = """
mutation($input: CartInput!) { cartCreate(input: $input) { cart { id } userErrors { code } } }
"""
DELIVERY = """
mutation($id: ID!) { cartDeliveryMethodUpdate(cartId: $id, input: {method: SHIPPING, address:
  {line1: "1 rue Sainte-Catherine", city: "Montréal", region: "QC", countryCode: "CA",
   latitude: 45.5, longitude: -73.57}}) { userErrors { code } } }
"""
CHECKOUT = """
mutation($id: ID!, $key: String!) { checkoutComplete(cartId: $id, idempotencyKey: $key,
  payment: {token: "tok_visa"}) { order { number } userErrors { code } } }
"""
HOT_SKUS = 10


async def _prepare(url: str) -> list[int]:
    from app.database import Database
    from app.demo.loader import load_demo
    from app.migrate import upgrade
    from app.models.catalog import Price

    db = Database.from_url(url, pool_size=2)
    try:
        await upgrade(db.engine)
        await load_demo(db)
        async with db.read() as conn:
            rows = await conn.execute(
                select(Price.variant_id).where(Price.currency_code == "CAD")
                .order_by(Price.variant_id).limit(HOT_SKUS)
            )  # fmt: skip
            return [int(r) for r in rows.scalars()]
    finally:
        await db.dispose()


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


async def _cart(client: httpx.AsyncClient, variant_gid: str) -> str:
    data = await _post(client, CREATE, {"input": {"channel": "web", "lines": [
        {"merchandiseId": variant_gid, "quantity": 1}]}})  # fmt: skip
    cart_id: str = data["cartCreate"]["cart"]["id"]
    await _post(client, DELIVERY, {"id": cart_id})
    return cart_id


async def _verify(url: str, placed: int) -> dict[str, Any]:
    from app.database import Database
    from app.inventory import repository as inventory_repository
    from app.models.inventory import StockLevel
    from app.models.order import Order
    from app.orders.verify import reservation_drift

    db = Database.from_url(url, pool_size=2)
    try:
        async with db.read() as conn:
            orders = (await conn.execute(select(func.count(Order.id)))).scalar_one()
            s = StockLevel.__table__.c
            oversold = (
                await conn.execute(
                    select(func.count()).where(s.on_hand - s.reserved - s.safety_stock < 0)
                )
            ).scalar_one()
        drift = await reservation_drift(db)
        ledger = await inventory_repository.ledger_drift(db)
    finally:
        await db.dispose()
    # The demo itself holds ten orders.
    return {
        "orders_in_database": int(orders) - 10,
        "orders_answered": placed,
        "levels_below_zero_available": int(oversold),
        "reserved_not_matching_allocations": len(drift),
        "ledger_drift": len(ledger),
        "ok": int(orders) - 10 == placed and not oversold and not drift and not ledger,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from schema.relay import to_global_id

    async with throwaway_database(args.keep) as url:
        hot = await _prepare(url)
        port = args.port
        with server("app.server:create_app", url, port, args.workers) as process:
            await wait_ready(process, port)
            limits = httpx.Limits(max_connections=args.clients)
            async with httpx.AsyncClient(
                base_url=f"http://{HOST}:{port}", limits=limits, timeout=120
            ) as client:
                semaphore = asyncio.Semaphore(args.clients)

                async def one_cart(i: int) -> str:
                    async with semaphore:
                        return await _cart(
                            client, to_global_id("ProductVariant", hot[i % len(hot)])
                        )

                carts = await asyncio.gather(*[one_cart(i) for i in range(args.carts)])
                outcomes: dict[str, int] = {}
                queue = list(enumerate(carts))

                async def shopper() -> None:
                    while queue:
                        i, cart_id = queue.pop()
                        data = await _post(client, CHECKOUT, {"id": cart_id, "key": f"race-{i}"})
                        answer = data["checkoutComplete"]
                        code = "PLACED" if answer["order"] else answer["userErrors"][0]["code"]
                        outcomes[code] = outcomes.get(code, 0) + 1

                started = time.perf_counter()
                await asyncio.gather(*[shopper() for _ in range(args.clients)])
                elapsed = time.perf_counter() - started
        placed = outcomes.get("PLACED", 0)
        return {
            "scenario": "checkout-race",
            "workers": args.workers,
            "clients": args.clients,
            "checkouts": args.carts,
            "hot_skus": len(hot),
            "seconds": round(elapsed, 2),
            "checkouts_per_second": round(args.carts / elapsed, 1),
            "orders_per_second": round(placed / elapsed, 1),
            "outcomes": outcomes,
            "load_average": os.getloadavg(),
            "verify": await _verify(url, placed),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=64, help="concurrent shoppers")
    parser.add_argument("--carts", type=int, default=2000, help="checkouts in the race")
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    report = asyncio.run(run(parser.parse_args()))
    print(json.dumps(report, indent=2))
    raise SystemExit(0 if report["verify"]["ok"] else 1)


if __name__ == "__main__":
    main()
