"""GraphQL documents and helpers shared by the order tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.carts.documents import CREATE, DELIVERY
from tests.graphql import gql

ORDER_FIELDS = """
  id number status channel customerId email
  lines { sku quantity unitPrice { amount } subtotal { amount } discount { amount }
          tax { amount } total { amount } }
  cost { subtotal { amount currencyCode } discounts { promotion code amount { amount } }
         shipping { amount } tax { amount } taxIncluded total { amount } }
  shippingAddress { city countryCode }
  pickupLocationId
  fulfillments { id method status locationId transferId pickupCode carrier trackingNumber
                 lines { sku quantity } }
  payments { gateway tender status amount { amount } cardLast4 }
"""

CHECKOUT = (
    "mutation Checkout($cartId: ID!, $key: String!, $token: String!, $expected: Decimal) {"
    " checkoutComplete(cartId: $cartId, idempotencyKey: $key, payment: {token: $token},"
    " expectedTotal: $expected) { order {"
    + ORDER_FIELDS
    + "} userErrors { field code message } } }"
)

MONTREAL = {
    "line1": "1 rue Sainte-Catherine",
    "city": "Montréal",
    "countryCode": "CA",
    "region": "QC",
    "postalCode": "H2X 1Z4",
    "latitude": 45.5,
    "longitude": -73.57,
}


async def cart_with(
    client: httpx.AsyncClient,
    lines: list[tuple[str, int]],
    *,
    channel: str = "web",
    token: str | None = None,
    ship_to: dict[str, Any] | None = None,
    pickup_at: str | None = None,
    customer: str | None = None,
) -> str:
    """A cart holding `lines` (variant global id, quantity) with a delivery chosen."""
    created = await gql(
        client,
        CREATE,
        {"input": {"channel": channel,
                   "lines": [{"merchandiseId": v, "quantity": q} for v, q in lines],
                   **({"buyerIdentity": {"customerId": customer}} if customer else {})}},
        token=token,
    )  # fmt: skip
    assert created["data"]["cartCreate"]["userErrors"] == [], created
    cart_id: str = created["data"]["cartCreate"]["cart"]["id"]
    delivery: dict[str, Any] | None = None
    if ship_to is not None:
        delivery = {"method": "SHIPPING", "address": ship_to}
    elif pickup_at is not None:
        delivery = {"method": "PICKUP", "pickupLocationId": pickup_at}
    if delivery is not None:
        chosen = await gql(client, DELIVERY, {"id": cart_id, "input": delivery}, token=token)
        assert chosen["data"]["cartDeliveryMethodUpdate"]["userErrors"] == [], chosen
    return cart_id


async def checkout(
    client: httpx.AsyncClient,
    cart_id: str,
    key: str,
    *,
    card: str = "tok_visa",
    token: str | None = None,
    expected: str | None = None,
) -> dict[str, Any]:
    body = await gql(
        client,
        CHECKOUT,
        {"cartId": cart_id, "key": key, "token": card, "expected": expected},
        token=token,
    )
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["checkoutComplete"]
    return result


PAYLOAD = "{ order {" + ORDER_FIELDS + "} userErrors { field code message } }"
MARK_READY = (
    "mutation Ready($id: ID!) { fulfillmentMarkReadyForPickup(fulfillmentId: $id) " + PAYLOAD + " }"
)
CONFIRM_PICKUP = (
    "mutation Pickup($id: ID!, $code: String, $customer: ID) {"
    " fulfillmentConfirmPickup(fulfillmentId: $id, pickupCode: $code, customerId: $customer) "
    + PAYLOAD
    + " }"
)
SHIP = (
    'mutation Ship($id: ID!) { fulfillmentShip(fulfillmentId: $id, carrier: "Purolator",'
    ' trackingNumber: "PUR123") ' + PAYLOAD + " }"
)
DELIVERED = (
    "mutation Delivered($id: ID!) { fulfillmentMarkDelivered(fulfillmentId: $id) " + PAYLOAD + " }"
)
CANCEL = "mutation Cancel($id: ID!) { orderCancel(orderId: $id) " + PAYLOAD + " }"
RECEIVE = (
    "mutation Receive($id: ID!) { inventoryTransferReceive(input: {transferId: $id})"
    " { transfer { status } userErrors { code } } }"
)


def result(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"][field]
    return found
