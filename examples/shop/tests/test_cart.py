from decimal import Decimal

from shop.cart import Cart


def test_adding_same_product_merges_lines(apple):
    cart = Cart()
    cart.add(apple)
    cart.add(apple, 2)
    assert len(cart.items) == 1
    assert cart.count() == 3


def test_subtotal(apple, pear):
    cart = Cart()
    cart.add(apple, 2)
    cart.add(pear)
    assert cart.subtotal() == Decimal("1.75")
