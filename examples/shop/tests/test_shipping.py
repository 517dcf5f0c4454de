from decimal import Decimal

from shop.shipping import shipping_cost


def test_small_orders_pay_flat_rate():
    assert shipping_cost(Decimal("12.00")) == Decimal("4.95")


def test_threshold_ships_free():
    assert shipping_cost(Decimal("50.00")) == Decimal("0.00")
