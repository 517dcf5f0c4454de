"""Shipping costs."""
from decimal import Decimal

FREE_SHIPPING_FROM = Decimal("50.00")
FLAT_RATE = Decimal("4.95")


def shipping_cost(subtotal):
    """Orders of FREE_SHIPPING_FROM or more ship free; smaller ones pay the flat rate."""
    if subtotal > FREE_SHIPPING_FROM:
        return Decimal("0.00")
    return FLAT_RATE
