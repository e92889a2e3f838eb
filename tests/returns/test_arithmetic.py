"""Refund arithmetic: cumulative proration adds up to the line total exactly."""

from __future__ import annotations

import pytest

from app.returns.arithmetic import split_over_payments, units_worth


def test_units_returned_one_by_one_add_up_to_the_line_total() -> None:
    # given: 3 units for 29.99, less a 5.00 order discount allocated to the line, plus tax
    total = 2999 - 500 + 374
    # when
    parts = [units_worth(total, 3, before, 1) for before in range(3)]
    # then
    assert parts == [957, 958, 958]
    assert sum(parts) == total
    assert units_worth(total, 3, 0, 3) == total
    assert units_worth(total, 3, 1, 2) == total - 957


def test_a_refund_is_split_over_payments_in_order() -> None:
    assert split_over_payments(1500, [1000, 2000]) == [1000, 500]
    assert split_over_payments(500, [0, 2000]) == [0, 500]
    with pytest.raises(ValueError, match="cannot take"):
        split_over_payments(3001, [1000, 2000])
