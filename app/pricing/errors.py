"""Pricing error codes."""

from __future__ import annotations

from app.errors import Conflict, Invalid, NotFound


class UnknownDiscountCode(NotFound):
    code = "UNKNOWN_DISCOUNT_CODE"


class DiscountCodeExpired(Invalid):
    code = "DISCOUNT_CODE_EXPIRED"


class DiscountCodeExhausted(Conflict):
    code = "DISCOUNT_CODE_EXHAUSTED"


class PromotionNotFound(NotFound):
    code = "PROMOTION_NOT_FOUND"


class InvalidPromotion(Invalid):
    code = "INVALID_PROMOTION"


class DiscountCodeTaken(Conflict):
    code = "DISCOUNT_CODE_TAKEN"
