"""Prices, discounts and tax."""
from shop.models import LineItem

TAX_RATE = "0.20"


def apply_discount(amount, percent):
    """Return `amount` reduced by `percent` per cent, rounded to cents."""
    factor = (Decimal(100) - Decimal(percent)) / Decimal(100)
    return (amount * factor).quantize(Decimal("0.01"))


def total_with_tax(items: list[LineItem]):
    """Sum of the line items plus tax."""
    subtotal = sum((item.subtotal for item in items), Decimal("0"))
    return (subtotal * (1 + Decimal(TAX_RATE))).quantize(Decimal("0.01"))
