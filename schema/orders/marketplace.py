"""`marketplaceOrderImport`: a marketplace connector hands over an order it sold."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from app.auth.scopes import ORDERS_WRITE
from app.carts.details import AddressInput
from app.database import UnitOfWork
from app.kit.money import to_minor
from app.orders import marketplace
from schema.carts.inputs import CartAddressInput
from schema.context import Info
from schema.mutation import perform
from schema.orders.mutations import OrderPayload, payload, reference_for
from schema.permissions import PartnerScope


@strawberry.input
class MarketplaceOrderLineInput:
    sku: str
    quantity: int
    unit_price: Decimal = strawberry.field(description="The marketplace's price; kept as is.")
    discount: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)


@strawberry.input
class MarketplaceBuyerInput:
    email: str | None = None
    phone: str | None = None
    first_name: str = ""
    last_name: str = ""


@strawberry.input
class MarketplaceAddressesInput:
    shipping: CartAddressInput


@strawberry.input
class MarketplacePaymentInput:
    reference: str = strawberry.field(description="The marketplace's payment or payout id.")
    amount: Decimal


def _address(address: AddressInput) -> dict[str, object]:
    return {
        "line1": address.line1.strip()[:200], "line2": address.line2.strip()[:200],
        "city": address.city.strip()[:100], "region": address.region.strip().upper()[:100],
        "postalCode": address.postal_code.strip()[:20],
        "countryCode": address.country_code.strip().upper()[:2],
        "latitude": address.latitude, "longitude": address.longitude,
    }  # fmt: skip


@strawberry.type
class MarketplaceMutation:
    @strawberry.mutation(
        permission_classes=[PartnerScope(ORDERS_WRITE)],
        description="Import an order sold on a marketplace channel, once per (channel, "
        "externalId), at the marketplace's prices; stock is reserved from that channel's pool "
        "and the buyer recognised where an email or phone matches.",
    )
    async def marketplace_order_import(
        self,
        info: Info,
        channel: str,
        external_id: str,
        lines: list[MarketplaceOrderLineInput],
        buyer: MarketplaceBuyerInput,
        addresses: MarketplaceAddressesInput,
        payment: MarketplacePaymentInput,
        shipping: Decimal = Decimal(0),
    ) -> OrderPayload:
        ctx = info.context
        ref = await reference_for(info)

        async def action(uow: UnitOfWork) -> int:
            currency = ref.channels.by_code(channel, "channel").currency_code
            data = marketplace.MarketplaceOrder(
                channel=channel,
                external_id=external_id,
                lines=[
                    marketplace.ImportLine(
                        sku=ln.sku.strip(), quantity=ln.quantity,
                        unit_price=to_minor(ln.unit_price, currency, f"lines.{i}.unitPrice"),
                        discount=to_minor(ln.discount, currency, f"lines.{i}.discount"),
                        tax=to_minor(ln.tax, currency, f"lines.{i}.tax"),
                    )
                    for i, ln in enumerate(lines)
                ],
                buyer=marketplace.ImportBuyer(
                    buyer.email, buyer.phone, buyer.first_name, buyer.last_name
                ),
                shipping_address=_address(addresses.shipping.to_domain()),
                payment=marketplace.ImportPayment(
                    payment.reference, to_minor(payment.amount, currency, "payment.amount")
                ),
                shipping=to_minor(shipping, currency, "shipping"),
            )  # fmt: skip
            return await marketplace.import_order(
                uow, ctx.settings, ref, data, ctx.broker(),
                default_region=ctx.settings.phone_default_region,
            )  # fmt: skip

        found, errors = await perform(info, action)
        return await payload(info, found, errors)
