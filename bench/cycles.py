"""Which objects a request leaves in reference cycles (garbage only the cycle collector frees).

    .venv/bin/python -m bench.cycles                          # the listing
    .venv/bin/python -m bench.cycles --scenario product-page

Serves requests in-process with the collector off, then collects with `gc.DEBUG_SAVEALL`, so
every object that was part of unreachable cycles is kept in `gc.garbage` to be counted by
type. The most common types, and the objects that refer to them within the garbage, point at
the code that built the cycles.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.listing import prepare, throwaway_database  # noqa: E402
from bench.scenarios import SCENARIOS, request_body  # noqa: E402


def _name(obj: Any) -> str:
    kind = type(obj)
    if kind.__name__ == "function":
        return f"function {obj.__module__}.{obj.__qualname__}"
    if kind.__name__ == "frame":
        return f"frame {obj.f_code.co_filename.split('site-packages/')[-1]}:{obj.f_code.co_name}"
    if kind.__name__ == "cell":
        return "cell"
    return f"{kind.__module__}.{kind.__qualname__}"


async def run(args: argparse.Namespace) -> None:
    from app.config import Settings
    from app.database import Database
    from app.server import create_app

    async with throwaway_database(keep=False) as url:
        await prepare(url, args.products, 4)
        db = Database.from_url(url, pool_size=5)
        application = create_app(Settings(database_url=url, redis_url=None), db)
        body = request_body(args.scenario, "card", True, 50)
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(3):  # caches, pools, first-use imports
                (await client.post("/graphql", json=body)).raise_for_status()
            gc.collect()
            gc.disable()
            gc.set_debug(gc.DEBUG_SAVEALL)
            for _ in range(args.requests):
                (await client.post("/graphql", json=body)).raise_for_status()
            found = gc.collect()
            gc.set_debug(0)
            garbage = list(gc.garbage)
            gc.garbage.clear()
            gc.enable()
        await db.dispose()
    print(f"{args.scenario}: {found / args.requests:.0f} objects in cycles per request")
    counts = Counter(_name(o) for o in garbage)
    for name, count in counts.most_common(args.top):
        print(f"  {count / args.requests:8.1f}  {name}")
    print("cycles (strongly connected groups of garbage), by the types that form them:")
    for signature, count in _cycles(garbage).most_common(args.top):
        print(f"  {count / args.requests:8.1f} x  {signature}")
    if args.referrers:
        ids = {id(o) for o in garbage}
        for name, _ in counts.most_common(args.referrers):
            sample = next(o for o in garbage if _name(o) == name)
            holders = Counter(_name(r) for r in gc.get_referrers(sample) if id(r) in ids)
            print(f"{name} is held by: {dict(holders.most_common(5))}")


def _cycles(garbage: list[Any]) -> Counter[str]:
    """Tarjan's strongly connected components over the garbage's references: each component
    of more than one object is one cycle (or knot of cycles); what merely hangs off a cycle is
    garbage too but is not part of it."""
    index_of = {id(o): i for i, o in enumerate(garbage)}
    edges = [[index_of[id(r)] for r in gc.get_referents(o) if id(r) in index_of] for o in garbage]
    order = [-1] * len(garbage)
    low = [0] * len(garbage)
    on_stack = [False] * len(garbage)
    stack: list[int] = []
    found: Counter[str] = Counter()
    counter = 0
    for root in range(len(garbage)):
        if order[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if order[target] == -1:
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], order[target])
                continue
            if work and work[-1][0] != node:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    kinds = Counter(_name(garbage[m]) for m in members)
                    found[", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cycles", description=__doc__)
    parser.add_argument("--scenario", choices=SCENARIOS, default="listing")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--referrers", type=int, default=15, help="show holders of the top N")
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
