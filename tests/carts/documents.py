"""GraphQL documents shared by the cart tests."""

from __future__ import annotations

CART_FIELDS = """
  id status channel { code } totalQuantity note expiresAt
  buyerIdentity { customerId email countryCode }
  lines { id quantity sku merchandiseId
          cost { unitPrice { amount } subtotal { amount } total { amount }
                 discountAllocations { promotion code amount { amount } } } }
  cost { subtotal { amount currencyCode } discounts { promotion code amount { amount } }
         shipping { amount } tax { amount } taxIncluded total { amount } }
  discountCodes { code applicable }
  delivery { method pickupLocationId address { city countryCode } }
  warnings { code lineId message }
"""

CREATE = (
    "mutation Create($input: CartInput!) { cartCreate(input: $input) { cart {"
    + CART_FIELDS
    + "} userErrors { field code message } } }"
)
ADD = (
    "mutation Add($id: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $id, lines: $lines)"
    " { cart {" + CART_FIELDS + "} userErrors { field code message } } }"
)
UPDATE = (
    "mutation Update($id: ID!, $lines: [CartLineUpdateInput!]!) {"
    " cartLinesUpdate(cartId: $id, lines: $lines) { cart {"
    + CART_FIELDS
    + "} userErrors { field code message } } }"
)
REMOVE = (
    "mutation Remove($id: ID!, $lines: [ID!]!) { cartLinesRemove(cartId: $id, lineIds: $lines)"
    " { cart {" + CART_FIELDS + "} userErrors { field code message } } }"
)
BUYER = (
    "mutation Buyer($id: ID!, $buyer: CartBuyerIdentityInput!) {"
    " cartBuyerIdentityUpdate(cartId: $id, buyerIdentity: $buyer) { cart {"
    + CART_FIELDS
    + "} userErrors { field code message } } }"
)
CODES = (
    "mutation Codes($id: ID!, $codes: [String!]!) {"
    " cartDiscountCodesUpdate(cartId: $id, discountCodes: $codes) { cart {"
    + CART_FIELDS
    + "} userErrors { field code message } } }"
)
DELIVERY = (
    "mutation Delivery($id: ID!, $input: CartDeliveryMethodInput!) {"
    " cartDeliveryMethodUpdate(cartId: $id, input: $input) { cart {"
    + CART_FIELDS
    + "} userErrors { field code message } } }"
)
NOTE = (
    "mutation Note($id: ID!, $note: String!) { cartNoteUpdate(cartId: $id, note: $note)"
    " { cart { id note } userErrors { field code message } } }"
)
CART = "query Cart($id: ID!) { cart(id: $id) {" + CART_FIELDS + "} }"
ME_CART = "query MeCart($channel: String) { me { cart(channel: $channel) {" + CART_FIELDS + "} } }"


def line(variant: str, quantity: int = 1) -> dict[str, object]:
    return {"merchandiseId": variant, "quantity": quantity}
