"""Money as integer minor units plus an ISO 4217 code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.errors import Invalid

# ISO 4217 exponents for the currencies that differ from the usual two decimals.
_EXPONENTS = {
    "BHD": 3, "CLP": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "OMR": 3, "TND": 3,
    "UGX": 0, "VND": 0, "XAF": 0, "XOF": 0,
}  # fmt: skip


def exponent(currency_code: str) -> int:
    return _EXPONENTS.get(currency_code, 2)


def validate_currency(code: str, field: str = "currencyCode") -> str:
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise Invalid(
            f"'{code}' is not an ISO 4217 currency code", code="INVALID_CURRENCY", field=field
        )
    return code


def to_minor(amount: Decimal, currency_code: str, field: str = "amount") -> int:
    """Convert a decimal amount to minor units, refusing precision the currency lacks."""
    scaled = amount.scaleb(exponent(currency_code))
    if scaled != scaled.to_integral_value():
        raise Invalid(
            f"{amount} has more decimals than {currency_code} allows",
            code="INVALID_AMOUNT",
            field=field,
        )
    return int(scaled)


def to_decimal(minor: int, currency_code: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency_code))


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency_code: str

    @property
    def amount(self) -> Decimal:
        return to_decimal(self.amount_minor, self.currency_code)
