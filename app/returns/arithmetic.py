"""Refund arithmetic, pure so each rule is unit-tested.

A line's refund comes from its price snapshot: `total` is what the customer paid for the line
(its subtotal, less the order-level discounts allocated to it at checkout, plus its tax). Units
are refunded cumulatively: the first k units returned of a line of n are worth
floor(total * k / n), so however the units come back, in one return or several, the refunds
of the whole line add up to exactly its total, never a cent more."""

from __future__ import annotations

from collections.abc import Sequence


def units_worth(total: int, quantity: int, before: int, now: int) -> int:
    """What `now` more units of a line are worth when `before` units already came back."""
    if quantity <= 0 or now <= 0:
        return 0
    return total * (before + now) // quantity - total * before // quantity


def split_over_payments(amount: int, remaining: Sequence[int]) -> list[int]:
    """`amount` paid back over payments in the order given, each up to what is left of it."""
    parts = []
    left = amount
    for room in remaining:
        part = min(left, max(room, 0))
        parts.append(part)
        left -= part
    if left:
        raise ValueError("The payments cannot take the whole amount back")
    return parts
