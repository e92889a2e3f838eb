"""Demo orders in every state across the four channels: the open web orders that hold the
demo's reserved units, a shipped and a delivered order, a pickup ready with a known code, a
click-and-collect order waiting for its transfer, a ship-from-store order, an endless-aisle
and a cash-and-carry sale at the downtown till, a cancellation, and a marketplace order from a
recognised customer (Jonah). Written through the order services, so stock, ledger and reservations
stay consistent."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.viewer import Viewer, ViewerKind
from app.carts.views import channel_group
from app.customers.identity import IdentifierInput, recognise_customer
from app.database import UnitOfWork
from app.demo.context import DemoContext
from app.kit.clock import utcnow
from app.models.cart import Cart, CartLine, CartStatus, DeliveryMethod
from app.models.customer import CustomerIdentifier, IdentifierKind
from app.models.inventory import StockLevel
from app.models.order import FulfillmentMethod, Order, PaymentStatus
from app.models.staff import StaffRole
from app.orders import fulfilment, placing, repository
from app.orders.routing import Allocation, Route, Verdict
from app.orders.tenders import Tender, TenderKind, take_tenders
from app.payments.gateway import Authorization, TestGateway
from app.pricing import repository as pricing_repository

SYSTEM = Viewer(kind=ViewerKind.STAFF, role=StaffRole.ADMIN)
# The code Camille shows at the Plateau store (the README's click-and-collect walkthrough).
DEMO_PICKUP_CODE = "240117"
QC_TAX_PPM = 149_750


async def _customer(ctx: DemoContext, email: str) -> int:
    stmt = select(CustomerIdentifier.customer_id).where(
        CustomerIdentifier.kind == IdentifierKind.EMAIL, CustomerIdentifier.value == email
    )
    return int((await ctx.session.execute(stmt)).scalar_one())


async def _order(
    ctx: DemoContext,
    uow: UnitOfWork,
    *,
    channel: str,
    customer_id: int | None,
    lines: dict[int, int],
    location: str,
    method: FulfillmentMethod = FulfillmentMethod.SHIPPING,
    reserve: bool = True,
    pickup_at: str | None = None,
    transfer: bool = False,
    key: str,
) -> Order:
    """One order; `reserve=False` adopts units the inventory step already reserved."""
    chan = ctx.channels[channel]
    currency = chan.currency_code
    facts = await pricing_repository.variant_facts(ctx.session, list(lines), currency, chan.id)
    priced = []
    for variant_id, quantity in lines.items():
        unit = facts[variant_id].unit_price or 0
        subtotal = unit * quantity
        tax = (subtotal * QC_TAX_PPM + 500_000) // 1_000_000
        priced.append(placing.PricedLine(variant_id, facts[variant_id].sku, quantity, unit,
                                         subtotal, 0, tax, subtotal))  # fmt: skip
    subtotal = sum(p.subtotal for p in priced)
    tax = sum(p.tax for p in priced)
    source = ctx.locations[location]
    store = ctx.locations[pickup_at] if pickup_at else None
    route = Route(method, [Allocation(source.id, dict(lines))], rule="demo")
    route.verdicts.append(Verdict(source.id, source.code, None, {}, "demo", True, "demo data"))
    address = None
    if method is FulfillmentMethod.SHIPPING:
        address = {"line1": "4500 rue Sherbrooke O", "line2": "", "city": "Westmount",
                   "region": "QC", "postalCode": "H3Z 1E6", "countryCode": "CA",
                   "latitude": 45.4865, "longitude": -73.5897}  # fmt: skip
    new = placing.NewOrder(
        channel_id=chan.id, channel_code=chan.code, currency_code=currency,
        customer_id=customer_id, email=None, lines=priced,
        totals=placing.Totals(subtotal, 0, 0, tax, subtotal + tax, False),
        method=method, route=route, shipping_address=address,
        pickup_location_id=store.id if store else None, idempotency_key=f"demo-{key}",
        request_digest=placing.digest({"demo": key}),
    )  # fmt: skip
    transfer_id = None
    if transfer and store is not None:
        skus = {p.variant_id: p.sku for p in priced}
        transfer_id = await placing.send_to_store(uow, None, route, store.id, skus)
    elif reserve:
        await placing.reserve_route(uow, None, route)
    order = await placing.write_order(uow, new, transfer_id)
    await placing.announce(uow, order, new)
    if chan.code in ("web", "app") and order.total > 0:
        auth = Authorization(f"auth_demo_{key}", order.total, currency, "4242")
        placing.add_payment(uow, order, "test", "CARD", auth)
    elif chan.code.startswith("marketplace") and order.total > 0:
        auth = Authorization(f"mkt_demo_{key}", order.total, currency, None)
        payment = placing.add_payment(uow, order, f"marketplace:{chan.code}", "MARKETPLACE", auth)
        payment.status = PaymentStatus.CAPTURED
    await uow.session.flush()
    return order


async def _first_fulfilment(uow: UnitOfWork, order: Order) -> int:
    return (await repository.fulfilments_of(uow.session, order.id))[0].id


async def _reserved_at(ctx: DemoContext, location: str, variant_ids: list[int]) -> list[int]:
    stmt = select(StockLevel.variant_id).where(
        StockLevel.location_id == ctx.locations[location].id,
        StockLevel.variant_id.in_(variant_ids),
        StockLevel.reserved > 0,
    )
    return sorted(r for r in (await ctx.session.execute(stmt)).scalars())


async def _on_shelf(ctx: DemoContext, location: str, candidates: list[int]) -> int:
    stmt = select(StockLevel.variant_id).where(
        StockLevel.location_id == ctx.locations[location].id,
        StockLevel.variant_id.in_(candidates),
        StockLevel.on_hand - StockLevel.reserved - StockLevel.safety_stock >= 1,
    )
    return min((await ctx.session.execute(stmt)).scalars())


async def load(ctx: DemoContext) -> None:
    uow = UnitOfWork(ctx.session)
    gateway = TestGateway()
    v = [variant.id for variant in ctx.variants]
    camille = await _customer(ctx, "camille.roy@demo.omnigraph.dev")
    # The web orders whose units the inventory step reserved at the Laval warehouse.
    await _order(ctx, uow, channel="web", customer_id=camille, key="open-web",
                 lines=dict.fromkeys(v[8:12], 2), location="wh-laval", reserve=False)  # fmt: skip
    shipped = await _order(ctx, uow, channel="app", customer_id=None, key="shipped-app",
                           lines=dict.fromkeys(v[12:16], 2), location="wh-laval",
                           reserve=False)  # fmt: skip
    await fulfilment.ship(uow, None, gateway, SYSTEM, await _first_fulfilment(uow, shipped),
                          carrier="Purolator", tracking_number="PUR-DEMO-0001")  # fmt: skip
    delivered = await _order(ctx, uow, channel="web", customer_id=camille, key="delivered-web",
                             lines=dict.fromkeys(v[16:20], 2), location="wh-laval",
                             reserve=False)  # fmt: skip
    fid = await _first_fulfilment(uow, delivered)
    await fulfilment.ship(uow, None, gateway, SYSTEM, fid, carrier="Canada Post",
                          tracking_number="CP-DEMO-0002")  # fmt: skip
    await fulfilment.mark_delivered(uow, None, SYSTEM, fid)
    # Camille's click and collect at the Plateau store, ready with a known code.
    held = await _reserved_at(ctx, "st-plateau", v[20:24])
    ready = await _order(ctx, uow, channel="web", customer_id=camille, key="ready-pickup",
                         lines=dict.fromkeys(held, 1), location="st-plateau", reserve=False,
                         method=FulfillmentMethod.PICKUP_IN_STORE,
                         pickup_at="st-plateau")  # fmt: skip
    fid = await _first_fulfilment(uow, ready)
    await fulfilment.mark_ready(uow, None, SYSTEM, fid)
    row = await repository.fulfilment(uow.session, fid)
    assert row is not None
    row.pickup_code = DEMO_PICKUP_CODE
    # Click and collect downtown, waiting for units from Laval.
    await _order(ctx, uow, channel="web", customer_id=camille, key="awaiting-transfer",
                 lines={v[30]: 1}, location="wh-laval", pickup_at="st-downtown",
                 method=FulfillmentMethod.PICKUP_IN_STORE, transfer=True)  # fmt: skip
    # Ship from store: the Old Port store sends a web order.
    await _order(ctx, uow, channel="web", customer_id=None, key="ship-from-store",
                 lines={await _on_shelf(ctx, "st-old-port", v[40:80]): 1},
                 location="st-old-port")  # fmt: skip
    # At the downtown till: an endless-aisle order shipped from Laval, and a cash-and-carry sale.
    aisle = await _order(ctx, uow, channel="pos", customer_id=camille, key="endless-aisle",
                         lines={v[50]: 1}, location="wh-laval")  # fmt: skip
    await take_tenders(uow, gateway, aisle, [Tender(TenderKind.CASH, aisle.total)], 0, "demo")
    carry = await _order(ctx, uow, channel="pos", customer_id=None, key="cash-and-carry",
                         lines={await _on_shelf(ctx, "st-downtown", v[60:100]): 1},
                         location="st-downtown",
                         method=FulfillmentMethod.IN_STORE_HANDOVER)  # fmt: skip
    await take_tenders(uow, gateway, carry, [Tender(TenderKind.CASH, carry.total + 500)], 500,
                       "demo-carry")  # fmt: skip
    await uow.session.flush()
    fulfilments = await repository.fulfilments_of(uow.session, carry.id)
    await fulfilment.hand_over_now(uow, None, gateway, carry, fulfilments[0])
    # A cancelled web order.
    cancelled = await _order(ctx, uow, channel="web", customer_id=None, key="cancelled",
                             lines={v[70]: 1}, location="wh-laval")  # fmt: skip
    await fulfilment.cancel(uow, None, gateway, SYSTEM, cancelled.id)
    # A marketplace order from a buyer recognised by Jonah's email.
    buyer = await recognise_customer(
        ctx.session, [IdentifierInput(IdentifierKind.EMAIL, "jonah.tremblay@demo.omnigraph.dev")],
        default_region="CA", channel_code="marketplace-us",
    )  # fmt: skip
    await _order(ctx, uow, channel="marketplace-us", customer_id=buyer.customer_id,
                 key="marketplace", lines={v[90]: 1}, location="wh-laval")  # fmt: skip
    await _carts(ctx, v, camille)
    await ctx.session.flush()


# Carts the explorer's example operations check out (a checkout is idempotent on its key, so
# running an example again returns the same order).
STOREFRONT_CART = "crt_demo_checkout_storefront"
TILL_CART = "crt_demo_till_downtown"


async def _carts(ctx: DemoContext, v: list[int], camille: int) -> None:
    now = utcnow()
    web, pos = ctx.channels["web"], ctx.channels["pos"]
    downtown = ctx.locations["st-downtown"]
    storefront = Cart(
        token=STOREFRONT_CART, status=CartStatus.ACTIVE, channel_id=web.id,
        channel_group=channel_group(web.kind), currency_code=web.currency_code,
        email="guest.shopper@example.com", note="", discount_codes=[],
        delivery_method=DeliveryMethod.SHIPPING,
        shipping_address={"line1": "1200 av. McGill College", "line2": "", "city": "Montréal",
                          "region": "QC", "postalCode": "H3B 4G7", "countryCode": "CA",
                          "latitude": 45.5025, "longitude": -73.5707},
        created_at=now, updated_at=now,
    )  # fmt: skip
    till = Cart(
        token=TILL_CART, status=CartStatus.ACTIVE, channel_id=pos.id,
        channel_group=channel_group(pos.kind), currency_code=pos.currency_code,
        customer_id=camille, location_id=downtown.id, note="", discount_codes=[],
        created_at=now, updated_at=now,
    )  # fmt: skip
    ctx.session.add_all([storefront, till])
    await ctx.session.flush()
    carry = await _on_shelf(ctx, "st-downtown", v[100:140])
    facts = await pricing_repository.variant_facts(ctx.session, [v[110], carry], "CAD", web.id)
    ctx.session.add_all([
        CartLine(cart_id=storefront.id, variant_id=v[110], quantity=1,
                 unit_price_seen=facts[v[110]].unit_price, created_at=now, updated_at=now),
        CartLine(cart_id=till.id, variant_id=carry, quantity=1,
                 unit_price_seen=facts[carry].unit_price, created_at=now, updated_at=now),
    ])  # fmt: skip
