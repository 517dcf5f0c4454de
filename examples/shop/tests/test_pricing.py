from decimal import Decimal

from shop.models import LineItem
from shop.pricing import apply_discount, total_with_tax


def test_discount_rounds_to_cents():
    assert apply_discount(Decimal("19.99"), 15) == Decimal("16.99")


def test_total_includes_tax(apple, pear):
    assert total_with_tax([LineItem(apple, 2), LineItem(pear, 4)]) == Decimal("4.80")


def test_empty_total_is_zero():
    assert total_with_tax([]) == Decimal("0.00")
