"""The `omnigraph` command: serve, migrate, seed, purge carts, manage partner keys, print the
schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

from app.config import get_settings
from app.database import Database
from app.events.broker import create_broker

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.demo:
        # The explorer signs in as the demo accounts only on a server started with the demo
        # data; the workers read the setting from the environment they inherit.
        os.environ["EXPLORER_DEMO_ACCOUNTS"] = "true"
        get_settings.cache_clear()
    settings = get_settings()
    from app.migrate import upgrade_blocking

    upgrade_blocking(settings.database_url)
    if args.demo:
        _seed(argparse.Namespace(what="demo", force=False))
    print(_banner(args.host, args.port, demo=args.demo, graphiql=settings.graphiql), flush=True)
    uvicorn.run(
        "app.server:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        # The logging set up by main() (JSON by default) serves uvicorn's loggers too.
        log_config=None,
    )
    return 0


def _banner(host: str, port: int, *, demo: bool, graphiql: bool) -> str:
    url = f"http://{host}:{port}/graphql"
    lines = [f"Omnigraph is serving {url}"]
    if graphiql:
        lines.append(f"  Explorer: open {url} in a browser; the menu at the top has examples")
        lines.append("  for the storefront, mobile app, POS, operations and partners.")
    if demo:
        from app.demo.customers import CUSTOMERS, EMAIL
        from app.demo.partners import DEMO_PARTNER_KEY
        from app.demo.staff import DEMO_PASSWORD, STAFF

        emails = [email for email, *_ in STAFF]
        emails += [
            value
            for _first, _last, account, ids, *_ in CUSTOMERS
            if account
            for kind, value in ids
            if kind == EMAIL
        ]
        lines.append(f"  Demo accounts (password {DEMO_PASSWORD}):")
        lines.extend(f"    {email}" for email in emails)
        lines.append(f"  Demo partner key (X-Api-Key): {DEMO_PARTNER_KEY}")
    return "\n".join(lines)


def _db_upgrade(_: argparse.Namespace) -> int:
    from app.migrate import upgrade_blocking

    upgrade_blocking(get_settings().database_url)
    print("database is at the latest revision")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from app.demo.loader import load_demo
    from app.reference import cache as reference

    settings = get_settings()

    started = time.monotonic()

    def progress(position: int, total: int, name: str) -> None:
        elapsed = time.monotonic() - started
        print(f"  [{position}/{total}] {name} ({elapsed:.1f} s)", flush=True)

    async def run() -> bool:
        db = Database.from_url(settings.database_url, pool_size=2)
        # Running servers hear of the new channels, locations and pools through Redis.
        broker = create_broker(settings.redis_url, settings.events_prefix)
        try:
            return await load_demo(db, force=args.force, broker=broker, progress=progress)
        finally:
            await broker.close()
            await reference.forget(db)
            await db.dispose()

    print("loading the demo data set", flush=True)
    loaded: bool = asyncio.run(run())
    if loaded:
        print(f"demo data loaded in {time.monotonic() - started:.1f} s")
    else:
        print("demo data already present; nothing to do")
    return 0


def _inventory_verify(_: argparse.Namespace) -> int:
    from app.inventory.verify import verify_ledger
    from app.orders.verify import reservation_drift

    settings = get_settings()

    async def run() -> int:
        db = Database.from_url(settings.database_url, pool_size=2)
        try:
            report = await verify_ledger(db)
            held = await reservation_drift(db)
        finally:
            await db.dispose()
        for h in held:
            print(
                f"RESERVED variant {h.variant_id} at location {h.location_id}: "
                f"reserved {h.reserved}, open order allocations {h.allocated}"
            )
        print(f"reserved against open order allocations: "
              f"{'ok' if not held else f'{len(held)} levels differ'}")  # fmt: skip
        for drift in report.drift:
            print(
                f"DRIFT variant {drift.variant_id} at location {drift.location_id}: "
                f"on-hand {drift.on_hand}, ledger sum {drift.ledger_sum}"
            )
        verdict = "ok" if report.ok else f"{len(report.drift)} levels drifted"
        print(f"checked {report.levels_checked} stock levels against the ledger: {verdict}")
        return 0 if report.ok and not held else 1

    return asyncio.run(run())


def _carts_purge(_: argparse.Namespace) -> int:
    from app.carts.expiry import purge_carts

    async def run(db: Database) -> str:
        report = await purge_carts(db, get_settings())
        return (
            f"expired {report.expired} idle carts ({report.abandoned} abandoned by customers); "
            f"removed {report.deleted} closed carts"
        )

    return _with_db(run)


def _partners_create(args: argparse.Namespace) -> int:
    from app.auth.partners import create_api_client

    async def run(db: Database) -> str:
        async with db.write() as uow:
            issued = await create_api_client(
                uow.session, name=args.name, scopes=args.scope or [],
                documents_client=args.documents_client, documents_mode=args.documents_mode,
                cost_budget=args.cost_budget,
            )  # fmt: skip
        return f"partner {issued.client_id} created; its key (shown only now):\n{issued.key}"

    return _with_db(run)


def _partners_list(_: argparse.Namespace) -> int:
    from app.auth.partners import list_api_clients

    async def run(db: Database) -> str:
        async with db.write() as uow:
            clients = await list_api_clients(uow.session)
        lines = [
            f"{c.id}\t{c.key_prefix}…\t{c.name}\tscopes={','.join(c.scopes) or '-'}"
            f"\tdocuments={c.documents_client or 'any'}"
            f"{f' ({c.documents_mode})' if c.documents_client else ''}"
            f"\tbudget={c.cost_budget or 'default'}"
            f"\t{'revoked' if c.revoked_at else 'active'}"
            for c in clients
        ]
        return "\n".join(lines) or "no partners"

    return _with_db(run)


def _partners_revoke(args: argparse.Namespace) -> int:
    from app.auth.partners import revoke_api_client

    async def run(db: Database) -> str:
        async with db.write() as uow:
            await revoke_api_client(uow.session, args.id)
        return f"partner {args.id} revoked"

    return _with_db(run)


def _partners_bind(args: argparse.Namespace) -> int:
    from app.auth.partners import bind_api_client

    async def run(db: Database) -> str:
        async with db.write() as uow:
            await bind_api_client(
                uow.session, args.id, documents_client=args.client, documents_mode=args.mode
            )
        if args.client is None:
            return f"partner {args.id} may send any document"
        return f"partner {args.id} bound to {args.client}'s trusted documents ({args.mode})"

    return _with_db(run)


def _persisted_import(args: argparse.Namespace) -> int:
    import json

    from app.persisted.manifest import import_manifest

    try:
        with open(args.manifest, encoding="utf-8") as file:
            manifest = json.load(file)
    except (OSError, ValueError) as error:
        print(f"error: cannot read {args.manifest}: {error}", file=sys.stderr)
        return 2

    async def run(db: Database) -> str:
        async with db.write() as uow:
            report = await import_manifest(uow.session, args.client, manifest, replace=args.replace)
        return (
            f"{args.client}: {report.added} documents added, {report.unchanged} already "
            f"present, {report.removed} removed"
        )

    return _with_db(run)


def _webhooks_run(args: argparse.Namespace) -> int:
    from app.webhooks.dispatcher import Dispatcher

    settings = get_settings()

    async def run() -> None:
        db = Database.from_url(settings.database_url, pool_size=4)
        dispatcher = Dispatcher(db, settings)
        try:
            if args.once:
                while await dispatcher.run_once():
                    pass
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await dispatcher.run(stop)
        finally:
            await dispatcher.close()
            await db.dispose()

    asyncio.run(run())
    return 0


def _webhooks_prune(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from app.webhooks.retention import prune_outbox

    days = args.days if args.days is not None else get_settings().outbox_retention_days

    async def run(db: Database) -> str:
        removed = await prune_outbox(db, timedelta(days=days))
        return f"{removed} settled events older than {days} days removed"

    return _with_db(run)


def _with_db(action: Callable[[Database], Awaitable[str]]) -> int:
    """Run one database action for a command; domain errors become a message and exit code 2."""
    from app.errors import DomainError

    settings = get_settings()

    async def run() -> str:
        db = Database.from_url(settings.database_url, pool_size=2)
        try:
            return await action(db)
        finally:
            await db.dispose()

    try:
        print(asyncio.run(run()))
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    return 0


def _schema_print(_: argparse.Namespace) -> int:
    from schema.schema import schema

    sys.stdout.write(schema.as_str() + "\n")
    return 0


def _schema_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from schema.evolution import latest_release, unannounced_breaking_changes

    release = latest_release()
    current = Path(args.sdl).read_text()
    problems = unannounced_breaking_changes(release.sdl, current)
    for change in problems:
        print(f"BREAKING {change.type.name}: {change.description}")
    if problems:
        print(
            f"{len(problems)} breaking changes against {release.version} were not announced by a "
            "deprecation (see CHANGELOG.md for the policy)"
        )
        return 1
    print(f"{args.sdl} keeps every promise of release {release.version}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omnigraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database and serve the API")
    serve.add_argument("--demo", action="store_true", help="load the demo data set first (once)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrate to the latest revision").set_defaults(
        handler=_db_upgrade
    )

    seed = commands.add_parser("seed", help="load a data set")
    seed.add_argument("what", choices=["demo"])
    seed.add_argument("--force", action="store_true", help="load even if data exists")
    seed.set_defaults(handler=_seed)

    inventory = commands.add_parser("inventory", help="stock maintenance")
    inventory_commands = inventory.add_subparsers(dest="inventory_command", required=True)
    inventory_commands.add_parser(
        "verify", help="check that every on-hand equals the sum of its ledger movements"
    ).set_defaults(handler=_inventory_verify)

    carts = commands.add_parser("carts", help="cart maintenance")
    cart_commands = carts.add_subparsers(dest="carts_command", required=True)
    cart_commands.add_parser(
        "purge", help="expire idle carts (timeline: CART_ABANDONED) and remove closed ones"
    ).set_defaults(handler=_carts_purge)

    partners = commands.add_parser("partners", help="partner API clients")
    partner_commands = partners.add_subparsers(dest="partners_command", required=True)
    create = partner_commands.add_parser("create", help="create a client; prints its key once")
    create.add_argument("--name", required=True)
    create.add_argument("--scope", action="append", help="repeatable, e.g. inventory:read")
    create.add_argument(
        "--documents-client", help="run only this client's trusted documents (persisted import)"
    )
    create.add_argument("--documents-mode", choices=["ENFORCE", "LOG"], default="ENFORCE")
    create.add_argument("--cost-budget", type=int, help="query cost points of the key's bucket")
    create.set_defaults(handler=_partners_create)
    bind = partner_commands.add_parser("bind", help="bind a key to a client's trusted documents")
    bind.add_argument("id", type=int)
    bind.add_argument("--client", help="the documents' client name; omit to unbind")
    bind.add_argument("--mode", choices=["ENFORCE", "LOG"], default="ENFORCE")
    bind.set_defaults(handler=_partners_bind)
    partner_commands.add_parser("list", help="list clients").set_defaults(handler=_partners_list)
    revoke = partner_commands.add_parser("revoke", help="revoke a client's key")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_partners_revoke)

    persisted = commands.add_parser("persisted", help="trusted documents")
    persisted_commands = persisted.add_subparsers(dest="persisted_command", required=True)
    load = persisted_commands.add_parser(
        "import", help="load an Apollo persisted-query manifest as a client's trusted documents"
    )
    load.add_argument("manifest", help="path of the manifest (JSON)")
    load.add_argument("--client", required=True, help="the client application's name")
    load.add_argument(
        "--replace", action="store_true", help="remove the client's documents not in the manifest"
    )
    load.set_defaults(handler=_persisted_import)

    webhooks = commands.add_parser("webhooks", help="webhook delivery")
    webhook_commands = webhooks.add_subparsers(dest="webhooks_command", required=True)
    run = webhook_commands.add_parser(
        "run", help="deliver outbox events to subscribed endpoints until stopped"
    )
    run.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    run.set_defaults(handler=_webhooks_run)
    prune = webhook_commands.add_parser(
        "prune", help="delete settled outbox events (the dispatcher also does it hourly)"
    )
    prune.add_argument("--days", type=int, help="older than this (OUTBOX_RETENTION_DAYS)")
    prune.set_defaults(handler=_webhooks_prune)

    schema = commands.add_parser("schema", help="the GraphQL schema")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True)
    schema_commands.add_parser("print", help="print the SDL").set_defaults(handler=_schema_print)
    check = schema_commands.add_parser(
        "check", help="fail on breaking changes against the last release not deprecated first"
    )
    check.add_argument("--sdl", default="schema.graphql", help="the SDL to check")
    check.set_defaults(handler=_schema_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from app.http.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    # Alembic announces each of its plugins at INFO on every start; the migrations it runs
    # stay visible.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
